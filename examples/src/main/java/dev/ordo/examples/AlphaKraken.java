package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.ServiceBuilder;
import dev.ordo.docker.DockerEngine;
import dev.ordo.docker.Placement;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * AlphaKraken (seed {@code 001}): the central components — MongoDB, the Airflow Postgres and Redis (profile
 * {@code dbs}) — with {@code airflow-init} run once against the Airflow database; the Airflow scheduler and
 * webserver ({@code infrastructure}); one worker per instrument and the S3 uploader ({@code workers}); the Streamlit
 * webapp ({@code webapp}); every node also in profile {@code local}, for all of it on one machine. Components find
 * each other through {@code *_HOST} variables holding the service names, which resolve on every engine.
 *
 * <p>The Airflow pools the seed names bound the file operations: {@code file-copy-pool} (copies of raw files from the
 * instruments; drained to 0 before a redeploy of the workers) and {@code s3-upload-pool} (2 slots, as the seed
 * suggests). Each is an on-demand job with a manual trigger here.
 *
 * <pre>{@code
 * try (DockerBackend docker = DockerBackend.onEngines(AlphaKraken.placement(), engines)) {
 *     Orchestrator.using(docker).up(AlphaKraken.deployment().plan());
 * }
 * }</pre>
 */
public final class AlphaKraken {
    /** The pool of raw-file copies: drained to 0 before the workers are redeployed. */
    public static final String FILE_COPY_POOL = "file-copy-pool";
    /** The pool of S3 uploads. */
    public static final String S3_UPLOAD_POOL = "s3-upload-pool";
    /** The manual trigger of one raw-file copy. */
    public static final String COPY = "copy-raw-file";
    /** The manual trigger of one S3 upload. */
    public static final String UPLOAD = "upload-to-s3";
    /** The engines of {@link #placement()}: one machine per group of profiles, as the seed runs it. */
    public static final List<String> ENGINES = List.of("dbs-pc", "infra-pc", "workers-pc");
    /** The instruments, one worker each. */
    public static final List<String> INSTRUMENTS = List.of("test1", "test2");
    /** How many slots the file-copy pool has when it is not drained. */
    public static final int FILE_COPY_SLOTS = 4;

    private AlphaKraken() {
    }

    /** The whole system, workers at version {@code 1}. */
    public static Deployment deployment() {
        return deployment("1");
    }

    /** The whole system with the workers' image at {@code workerVersion}: a redeploy changes it. */
    public static Deployment deployment(String workerVersion) {
        Deployment.Builder b = Deployment.builder("alphakraken")
                .pool(FILE_COPY_POOL, FILE_COPY_SLOTS)
                .pool(S3_UPLOAD_POOL, 2)
                .secret(Secret.literal("mongo-password", "kraken-mongo-secret"))
                .secret(Secret.literal("postgres-password", "kraken-airflow-secret"))
                .service("mongodb-service", s -> s.image("mongo:7.0").port(27017).profiles("dbs", "local")
                        .volume("mongodb-data", "/data/db").secret("mongo-password")
                        .env("MONGO_INITDB_ROOT_PASSWORD_FILE", "/run/secrets/mongo-password")
                        .healthCheck(HealthCheck.tcp(27017).interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("postgres-service", s -> s.image("postgres:13").port(5432).profiles("dbs", "local")
                        .volume("airflowdb-data", "/var/lib/postgresql/data").secret("postgres-password")
                        .env("POSTGRES_USER", "airflow").env("POSTGRES_DB", "airflow")
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-password")
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "airflow").interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("redis-service", s -> s.image("redis:7.2").port(6379).profiles("dbs", "local")
                        .healthCheck(HealthCheck.command("redis-cli", "ping").interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .job("airflow-init", j -> j.image("alphakraken-airflow:local").profiles("dbs", "local")
                        .command("airflow", "db", "migrate").env("POSTGRES_HOST", "postgres-service")
                        .secret("postgres-password").dependsOn("postgres-service", HEALTHY))
                .service("airflow-scheduler", s -> airflow(s.image("alphakraken-airflow:local")
                        .profiles("infrastructure", "local").command("airflow", "scheduler")
                        .healthCheck(HealthCheck.http(8974, "/health").interval(Duration.ofSeconds(10)))))
                .service("airflow-webserver", s -> airflow(s.image("alphakraken-airflow:local").port(8080)
                        .profiles("infrastructure", "local").command("airflow", "webserver")
                        .healthCheck(HealthCheck.http(8080, "/health").interval(Duration.ofSeconds(10)))))
                .service("webapp", s -> s.image("alphakraken-webapp:local").port(8501).profiles("webapp", "local")
                        .env("MONGO_HOST", "mongodb-service").secret("mongo-password")
                        .healthCheck(HealthCheck.http(8501, "/_stcore/health").interval(Duration.ofSeconds(10)))
                        .restart(RestartPolicy.UNLESS_STOPPED)
                        .dependsOn("mongodb-service", HEALTHY));
        for (String instrument : INSTRUMENTS) {
            b.service("airflow-worker-" + instrument, s -> worker(s, workerVersion)
                    .env("INSTRUMENT_ID", instrument).command("airflow", "celery", "worker", "-q", instrument));
        }
        b.service("airflow-worker-s3-uploader", s -> worker(s, workerVersion)
                        .command("airflow", "celery", "worker", "-q", "s3_upload"))
                .job(COPY, j -> j.image("alphakraken-worker:" + workerVersion).onDemand().pool(FILE_COPY_POOL)
                        .profiles("workers", "local").env("MONGO_HOST", "mongodb-service")
                        .dependsOn("mongodb-service", HEALTHY))
                .job(UPLOAD, j -> j.image("alphakraken-worker:" + workerVersion).onDemand().pool(S3_UPLOAD_POOL)
                        .profiles("workers", "local").env("MONGO_HOST", "mongodb-service")
                        .dependsOn("mongodb-service", HEALTHY))
                .trigger(COPY, t -> t.target(COPY).manual().overlap(Overlap.ALLOW))
                .trigger(UPLOAD, t -> t.target(UPLOAD).manual().overlap(Overlap.ALLOW));
        return b.build();
    }

    private static ServiceBuilder airflow(ServiceBuilder s) {
        return s.env("POSTGRES_HOST", "postgres-service").env("REDIS_HOST", "redis-service")
                .env("MONGO_HOST", "mongodb-service").secret("postgres-password").secret("mongo-password")
                .restart(RestartPolicy.UNLESS_STOPPED)
                .dependsOn("airflow-init", COMPLETED_SUCCESSFULLY).dependsOn("redis-service", HEALTHY)
                .dependsOn("mongodb-service", HEALTHY);
    }

    private static ServiceBuilder worker(ServiceBuilder s, String version) {
        return airflow(s.image("alphakraken-worker:" + version).profiles("workers", "local"))
                .healthCheck(HealthCheck.command("celery", "--app",
                        "airflow.providers.celery.executors.celery_executor.app", "inspect", "ping")
                        .interval(Duration.ofSeconds(30)))
                .dependsOn("airflow-scheduler", HEALTHY);
    }

    /**
     * The seed's distributed setup: {@code dbs} (and the webapp) on one machine, {@code infrastructure} on a
     * second, {@code workers} on a third — engines {@link #ENGINES}.
     */
    public static Placement placement() {
        return Placement.builder().profile("dbs", ENGINES.get(0)).profile("webapp", ENGINES.get(0))
                .profile("infrastructure", ENGINES.get(1)).profile("workers", ENGINES.get(2)).build();
    }

    /** The engines of {@link #placement()} at the given hosts, in the order of {@link #ENGINES}. */
    public static List<DockerEngine> engines(List<URI> hosts) {
        if (hosts.size() != ENGINES.size()) {
            throw new IllegalArgumentException("AlphaKraken's placement needs " + ENGINES.size() + " engines "
                    + ENGINES + ", got " + hosts.size());
        }
        return IntStream.range(0, hosts.size())
                .mapToObj(i -> DockerEngine.at(ENGINES.get(i), hosts.get(i))).toList();
    }

    /** In virtual time, with the seed's orders of magnitude: databases in seconds, Airflow in tens of seconds. */
    public static SimulatedBackend simulated() {
        SimulatedBackend sim = SimulatedBackend.create()
                .readyAfter("mongodb-service", Duration.ofSeconds(6))
                .readyAfter("postgres-service", Duration.ofSeconds(4))
                .readyAfter("redis-service", Duration.ofSeconds(1))
                .exitsAfter("airflow-init", Duration.ofSeconds(40), 0)
                .readyAfter("airflow-scheduler", Duration.ofSeconds(25))
                .readyAfter("airflow-webserver", Duration.ofSeconds(30))
                .readyAfter("webapp", Duration.ofSeconds(8))
                .exitsAfter(COPY, Duration.ofMinutes(7), 0)
                .exitsAfter(UPLOAD, Duration.ofMinutes(3), 0);
        for (int i = 0; i < INSTRUMENTS.size(); i++) {
            // the first instrument's worker mounts the most shares: the slowest to come up
            sim.readyAfter("airflow-worker-" + INSTRUMENTS.get(i), Duration.ofSeconds(15 - 3L * i));
        }
        return sim.readyAfter("airflow-worker-s3-uploader", Duration.ofSeconds(10));
    }

    /** Stand-ins for a rehearsal on real engines: the same shape in a fraction of a second per node. */
    public static StandIns standIns() {
        return StandIns.defaults().readyAfter(Duration.ofMillis(300)).runFor("airflow-init", Duration.ofMillis(300))
                .runFor(COPY, Duration.ofSeconds(2)).runFor(UPLOAD, Duration.ofMillis(500));
    }
}
