package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Param;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.TriggerBuilder;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HDFS/Spark orchestration layer (seed {@code 002}): always-on storage and serving — a namenode, three datanodes
 * once it is healthy, postgres and the recommendation API — and a batch pipeline ingestion → processing → loader
 * in which every step must exit 0 and a failure aborts the rest. The pipeline runs once as the initial load when
 * the deployment starts ({@code MODE=initial}), then daily at 02:00 UTC with {@code EVENT_DATE} = the previous UTC
 * day and a 7-day window, or by hand with overrides ({@code PROCESSING_WINDOW_DAYS=14}).
 *
 * <pre>{@code
 * try (LiveDeployment live = Orchestrator.using(docker).start(OrchestrationLayer.deployment().plan())) {
 *     live.trigger(OrchestrationLayer.DAILY, Map.of("PROCESSING_WINDOW_DAYS", "14")).join();
 * }
 * }</pre>
 */
public final class OrchestrationLayer {
    /** The trigger of the one-time initial load (fires as the living deployment starts). */
    public static final String INITIAL_LOAD = "initial-load";
    /** The trigger of the daily pipeline (02:00 UTC). */
    public static final String DAILY = "daily";
    /** The pipeline's steps, in order. */
    public static final List<String> STEPS = List.of("ingestion", "processing", "recommendation-loader");
    /** The always-on services. */
    public static final List<String> SERVICES = List.of("namenode", "datanode1", "datanode2", "datanode3",
            "postgres", "recommendation-api");

    private OrchestrationLayer() {
    }

    /** The deployment with the daily pipeline on its cron schedule, {@code 0 2 * * *} UTC. */
    public static Deployment deployment() {
        return deployment(Optional.empty());
    }

    /**
     * The deployment, with the daily pipeline firing every {@code every} instead of at 02:00 when one is given: a
     * rehearsal of the schedule on a real engine in seconds.
     */
    public static Deployment deployment(Optional<Duration> every) {
        Deployment.Builder b = Deployment.builder("orchestration-layer")
                .secret(Secret.literal("postgres-password", "changeme"))
                .secret(Secret.literal("jwt-secret", "changeme"))
                .service("namenode", s -> s.image("bde2020/hadoop-namenode:2.0.0-hadoop3.2.1-java8")
                        .port(9870).port(9000).volume("hdfs-name", "/hadoop/dfs/name")
                        .healthCheck(HealthCheck.http(9870, "/").interval(Duration.ofSeconds(30)).retries(5)
                                .startPeriod(Duration.ofSeconds(120)))
                        .restart(RestartPolicy.UNLESS_STOPPED));
        for (String dn : List.of("datanode1", "datanode2", "datanode3")) {
            b.service(dn, s -> s.image("bde2020/hadoop-datanode:2.0.0-hadoop3.2.1-java8")
                    .env("SERVICE_PRECONDITION", "namenode:9870").volume(dn + "-data", "/hadoop/dfs/data")
                    .healthCheck(HealthCheck.command("datanode.healthcheck.sh").interval(Duration.ofSeconds(30)))
                    .restart(RestartPolicy.UNLESS_STOPPED)
                    .dependsOn("namenode", HEALTHY));
        }
        b.service("postgres", s -> s.image("postgres:14").port(5432).volume("pg-data", "/var/lib/postgresql/data")
                        .env("POSTGRES_USER", "postgres").env("POSTGRES_DB", "recommendations")
                        .secret("postgres-password")
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-password")
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres")
                                .interval(Duration.ofSeconds(10)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("recommendation-api", s -> s.image("recommendation-api:local").port(8000)
                        .secret("jwt-secret").secret("postgres-password")
                        .healthCheck(HealthCheck.http(8000, "/health").interval(Duration.ofSeconds(30)))
                        .restart(RestartPolicy.UNLESS_STOPPED)
                        .dependsOn("postgres", HEALTHY))
                .job("ingestion", j -> j.image("spark-jobs:local").onDemand()
                        .command("spark-submit", "/jobs/ingestion.py")
                        .dependsOn("datanode1", HEALTHY).dependsOn("datanode2", HEALTHY)
                        .dependsOn("datanode3", HEALTHY))
                .job("processing", j -> j.image("spark-jobs:local").onDemand()
                        .command("spark-submit", "/jobs/processing.py")
                        .dependsOn("ingestion", COMPLETED_SUCCESSFULLY))
                .job("recommendation-loader", j -> j.image("recommendation-loader:local").onDemand()
                        .secret("postgres-password")
                        .dependsOn("processing", COMPLETED_SUCCESSFULLY).dependsOn("postgres", HEALTHY))
                .trigger(INITIAL_LOAD, t -> t.target("recommendation-loader").atStart()
                        .env("ingestion", "MODE", "initial")
                        .env("processing", "MODE", "initial_load")
                        .env("recommendation-loader", "MODE", "initial_load"))
                .trigger(DAILY, t -> daily(t, every));
        return b.build();
    }

    /** The table {@link #onRealPostgres}'s loader inserts one row per run into (database {@code recommendations}). */
    public static final String LOADS_TABLE = "recommendation_loads";

    /**
     * The layer with a real PostgreSQL ({@link RealImages#POSTGRES}, password from secret {@code postgres-password}
     * given to uid 999, healthy when {@code pg_isready} says so) and a real loader: {@code recommendation-loader} runs
     * psql on the PostgreSQL image and inserts one row into {@link #LOADS_TABLE} per run, with the {@code MODE} and
     * {@code EVENT_DATE} it received (making the table on its first run). Every other node — the HDFS nodes, the
     * recommendation API, ingestion and processing — is a busybox stand-in with its health check's kind, and a step's
     * stand-in exits with the value of {@code STAND_IN_EXIT_<STEP>} (e.g. {@code STAND_IN_EXIT_PROCESSING=1} as a
     * trigger override makes processing fail). Triggers, edges and parameters are {@link #deployment(Optional)}'s.
     *
     * <pre>{@code
     * Plan plan = OrchestrationLayer.onRealPostgres(Optional.of(Duration.ofDays(1))).renamed("ol-" + suffix).plan();
     * live.trigger(OrchestrationLayer.DAILY, Map.of("EVENT_DATE", "2026-03-01")).join();
     * }</pre>
     */
    public static Deployment onRealPostgres(Optional<Duration> every) {
        Deployment layer = deployment(every);
        Deployment.Builder b = layer.toBuilder();
        for (Node n : layer.nodes()) {
            if (!n.name().equals("postgres") && !n.name().equals("recommendation-loader")) {
                b.replace(StandInNodes.of(n, ""));
            }
        }
        return b.service("postgres", s -> s.image(RealImages.POSTGRES).port(5432)
                        .volume("pg-data", "/var/lib/postgresql/data")
                        .env("POSTGRES_USER", "postgres").env("POSTGRES_DB", "recommendations")
                        .secret(SecretRef.file("postgres-password").owner(RealImages.SERVER_UID,
                                RealImages.SERVER_UID))
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-password")
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres", "-d", "recommendations")
                                .interval(Duration.ofSeconds(10)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .job("recommendation-loader", j -> j.image(RealImages.POSTGRES).onDemand()
                        .secret("postgres-password")
                        .shell(LOAD_ONE_ROW)
                        .dependsOn("processing", COMPLETED_SUCCESSFULLY).dependsOn("postgres", HEALTHY))
                .build();
    }

    /** The real loader: one row with the run's MODE and EVENT_DATE, over the network, in one transaction. */
    private static final String LOAD_ONE_ROW = """
            set -eu
            export PGPASSWORD="$(cat /run/secrets/postgres-password)"
            echo "recommendation-loader: MODE=${MODE:-} EVENT_DATE=${EVENT_DATE:-}"
            psql -h postgres -U postgres -d recommendations -X -q -v ON_ERROR_STOP=1 --single-transaction \\
              -v mode="${MODE:-}" -v event_date="${EVENT_DATE:-}" <<'SQL'
            CREATE TABLE IF NOT EXISTS recommendation_loads (id BIGSERIAL PRIMARY KEY, mode TEXT NOT NULL,
              event_date DATE, loaded_at TIMESTAMPTZ NOT NULL DEFAULT now());
            INSERT INTO recommendation_loads (mode, event_date) VALUES (:'mode', NULLIF(:'event_date', '')::date);
            SQL
            echo 'recommendation-loader: loaded 1 row'
            """;

    private static TriggerBuilder daily(TriggerBuilder t, Optional<Duration> every) {
        t.target("recommendation-loader");
        every.ifPresentOrElse(t::every, () -> t.cron("0 2 * * *"));
        return t.env("ingestion", "MODE", "daily").env("ingestion", "EVENT_DATE", Param.previousDay())
                .env("processing", "MODE", "incremental").env("processing", "PROCESSING_WINDOW_DAYS", "7")
                .env("recommendation-loader", "MODE", "incremental");
    }

    /**
     * The layer in virtual time, with its real timings: the namenode formats for 90 s, the datanodes register in
     * 20 s, postgres is ready in 5 s; ingestion takes 12 minutes, processing 25, the loader 6.
     */
    public static SimulatedBackend simulated() {
        SimulatedBackend sim = SimulatedBackend.create()
                .readyAfter("namenode", Duration.ofSeconds(90))
                .readyAfter("postgres", Duration.ofSeconds(5))
                .readyAfter("recommendation-api", Duration.ofSeconds(3));
        for (String dn : List.of("datanode1", "datanode2", "datanode3")) {
            sim.readyAfter(dn, Duration.ofSeconds(20));
        }
        return sim.exitsAfter("ingestion", Duration.ofMinutes(12), 0)
                .exitsAfter("processing", Duration.ofMinutes(25), 0)
                .exitsAfter("recommendation-loader", Duration.ofMinutes(6), 0);
    }

    /** Stand-ins for a rehearsal on a real engine: the same shape, in a fraction of a second per node. */
    public static StandIns standIns() {
        return StandIns.defaults().readyAfter(Duration.ofMillis(200))
                .readyAfter("namenode", Duration.ofMillis(600))
                .runFor("ingestion", Duration.ofMillis(300))
                .runFor("processing", Duration.ofMillis(300))
                .runFor("recommendation-loader", Duration.ofMillis(300));
    }
}
