package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.Service;
import dev.ordo.Selection;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The CLP log-management package (the reference topology): 16 services and 2 init jobs with every edge of the CLP
 * architecture figure and its condition, and the Base / Full / Spider deployment types as profiles.
 *
 * <pre>{@code
 * Deployment clp = Clp.deployment();
 * Plan full = clp.plan(Clp.Type.FULL.selection());
 * RunReport report = Orchestrator.using(Clp.simulated()).up(full);
 * }</pre>
 */
public final class Clp {
    /** The image every CLP component runs from. */
    public static final String PACKAGE_IMAGE = "clp-package:main";

    /**
     * CLP's deployment types: which compression scheduler and which query engine run.
     *
     * <pre>{@code
     * clp.plan(Clp.Type.SPIDER_FULL.selection());
     * }</pre>
     */
    public enum Type {
        /** Celery compression, Presto queries (no native query pipeline). */
        BASE("celery"),
        /** Celery compression, native query pipeline. */
        FULL("celery", "native-query"),
        /** Spider compression, Presto queries. */
        SPIDER_BASE("spider"),
        /** Spider compression, native query pipeline. */
        SPIDER_FULL("spider", "native-query");

        private final String[] profiles;

        Type(String... profiles) {
            this.profiles = profiles;
        }

        /** The selection for this type, with the MCP server when {@code mcp} is true. */
        public Selection selection(boolean mcp) {
            Selection s = Selection.profiles(profiles);
            return mcp ? s.withProfiles("mcp") : s;
        }

        /** The selection for this type, MCP server included. */
        public Selection selection() {
            return selection(true);
        }

        /**
         * The type called {@code name} ({@code base}, {@code full}, {@code spider-base}, {@code spider-full}).
         *
         * @throws IllegalArgumentException listing the types when there is none of that name
         */
        public static Type parse(String name) {
            for (Type t : values()) {
                if (t.name().replace('_', '-').equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown CLP deployment type '" + name
                    + "'; use base, full, spider-base or spider-full");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private Clp() {
    }

    /** The CLP deployment. Credentials come from CLP_DB_PASS / CLP_QUEUE_PASS / CLP_REDIS_PASS when set. */
    public static Deployment deployment() {
        Duration fast = Duration.ofSeconds(2);
        return Deployment.builder("clp")
                .pool("compression", 2)
                .secret(credential("db-password", "CLP_DB_PASS"))
                .secret(credential("queue-password", "CLP_QUEUE_PASS"))
                .secret(credential("redis-password", "CLP_REDIS_PASS"))
                // Databases
                .service("database", s -> s.image("mysql:8.0.23").port(3306)
                        .secret("db-password")
                        .env("MYSQL_ROOT_PASSWORD_FILE", "/run/secrets/db-password")
                        .volume("database-data", "/var/lib/mysql")
                        .healthCheck(HealthCheck.command("mysqladmin", "ping", "--silent").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("results-cache", s -> s.image("mongo:7.0.1").port(27017)
                        .volume("results-cache-data", "/data/db")
                        .healthCheck(HealthCheck.command("mongosh", "--quiet", "--eval", "db.runCommand('ping').ok")
                                .interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("queue", s -> s.image("rabbitmq:3.9.8").port(5672)
                        .secret("queue-password")
                        .healthCheck(HealthCheck.command("rabbitmq-diagnostics", "check_running").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("redis", s -> s.image("redis:7.2.4").port(6379)
                        .secret("redis-password")
                        .tmpfs("/data")
                        .healthCheck(HealthCheck.command("redis-cli", "ping").interval(fast).retries(30))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                // Initialization jobs
                .job("db-table-creator", j -> j.image(PACKAGE_IMAGE)
                        .command("python3", "-u", "-m", "clp_py_utils.create-db-tables", "--config", "/etc/clp/clp-config.yaml")
                        .secret("db-password")
                        .retries(2)
                        .dependsOn("database", HEALTHY))
                .job("results-cache-indices-creator", j -> j.image(PACKAGE_IMAGE)
                        .command("python3", "-u", "-m", "clp_py_utils.initialize-results-cache")
                        .retries(2)
                        .dependsOn("results-cache", HEALTHY))
                // Schedulers
                .service("compression-scheduler", s -> clpService(s, "compression_scheduler").profiles("celery")
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-scheduler", s -> clpService(s, "query_scheduler").profiles("native-query")
                        .port(7000).healthCheck(HealthCheck.tcp(7000).interval(fast).retries(30))
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("spider-scheduler", s -> clpService(s, "spider_scheduler").profiles("spider")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                // Workers
                .service("compression-worker", s -> clpService(s, "compression_worker").profiles("celery")
                        .pool("compression"))
                .service("spider-compression-worker", s -> clpService(s, "spider_compression_worker")
                        .profiles("spider").pool("compression")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-worker", s -> clpService(s, "query_worker").profiles("native-query"))
                .service("reducer", s -> clpService(s, "reducer").profiles("native-query")
                        .dependsOn("query-scheduler", HEALTHY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                // Management & UI
                .service("api-server", s -> clpService(s, "api_server").port(3001)
                        .healthCheck(HealthCheck.http(3001, "/health").interval(fast).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("log-ingestor", s -> clpService(s, "log_ingestor")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("garbage-collector", s -> clpService(s, "garbage_collector")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("webui", s -> clpService(s, "webui").port(4000)
                        .healthCheck(HealthCheck.http(4000, "/").interval(fast).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                // AI
                .service("mcp-server", s -> clpService(s, "mcp_server").profiles("mcp").port(8000)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .build();
    }

    private static dev.ordo.ServiceBuilder clpService(dev.ordo.ServiceBuilder s, String module) {
        return s.image(PACKAGE_IMAGE)
                .command("python3", "-u", "-m", "job_orchestration." + module, "--config", "/etc/clp/clp-config.yaml")
                .secret("db-password")
                .restart(RestartPolicy.ON_FAILURE);
    }

    private static Secret credential(String name, String variable) {
        // A demo must run without set-up; real deployments export the variable (the literal is never logged).
        return System.getenv(variable) != null ? Secret.fromEnv(name, variable) : Secret.literal(name, "clp-demo-" + name);
    }

    /** How long each CLP component takes to become ready (or, for a job, to finish), roughly as measured. */
    public static final Map<String, Duration> READINESS = Map.ofEntries(
            Map.entry("database", Duration.ofSeconds(12)),
            Map.entry("results-cache", Duration.ofSeconds(6)),
            Map.entry("queue", Duration.ofSeconds(8)),
            Map.entry("redis", Duration.ofSeconds(1)),
            Map.entry("db-table-creator", Duration.ofSeconds(4)),
            Map.entry("results-cache-indices-creator", Duration.ofSeconds(3)),
            Map.entry("query-scheduler", Duration.ofSeconds(3)),
            Map.entry("api-server", Duration.ofSeconds(3)),
            Map.entry("webui", Duration.ofSeconds(5)));

    /** How long the stateful services take to shut down cleanly; every other service stops in half a second. */
    public static final Map<String, Duration> SHUTDOWN = Map.of(
            "database", Duration.ofSeconds(3),
            "results-cache", Duration.ofSeconds(2),
            "queue", Duration.ofSeconds(2));

    /** A simulated backend scripted with {@link #READINESS} and {@link #SHUTDOWN}. */
    public static SimulatedBackend simulated() {
        SimulatedBackend sim = SimulatedBackend.create();
        READINESS.forEach((node, d) -> {
            if (node.endsWith("-creator")) {
                sim.exitsAfter(node, d, 0);
            } else {
                sim.readyAfter(node, d);
            }
        });
        for (Node n : deployment().nodes()) {
            if (n instanceof Service) {
                sim.stopsAfter(n.name(), SHUTDOWN.getOrDefault(n.name(), Duration.ofMillis(500)));
            }
        }
        return sim;
    }
}
