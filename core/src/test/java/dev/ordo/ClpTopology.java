package dev.ordo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The CLP package's 18 nodes with every edge of Figure 1 of the CLP orchestration design (16 services, 2 init
 * jobs), built here so that core tests do not depend on {@code examples/}.
 */
public final class ClpTopology {
    /** The services of Figure 1. */
    public static final List<String> SERVICES = List.of("database", "queue", "redis", "results-cache",
            "compression-scheduler", "query-scheduler", "spider-scheduler", "compression-worker",
            "spider-compression-worker", "query-worker", "reducer", "api-server", "garbage-collector", "webui",
            "mcp-server", "log-ingestor");
    /** The one-time jobs of Figure 1. */
    public static final List<String> JOBS = List.of("db-table-creator", "results-cache-indices-creator");

    /** Every edge of Figure 1: dependency -> (dependent, condition). */
    public static final List<Object[]> EDGES = List.of(
            edge("database", "db-table-creator", Condition.HEALTHY),
            edge("results-cache", "results-cache-indices-creator", Condition.HEALTHY),
            edge("queue", "compression-scheduler", Condition.HEALTHY),
            edge("redis", "compression-scheduler", Condition.HEALTHY),
            edge("queue", "query-scheduler", Condition.HEALTHY),
            edge("redis", "query-scheduler", Condition.HEALTHY),
            edge("query-scheduler", "reducer", Condition.HEALTHY),
            edge("db-table-creator", "api-server", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "compression-scheduler", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "garbage-collector", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "log-ingestor", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "mcp-server", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "query-scheduler", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "spider-compression-worker", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "spider-scheduler", Condition.COMPLETED_SUCCESSFULLY),
            edge("db-table-creator", "webui", Condition.COMPLETED_SUCCESSFULLY),
            edge("results-cache-indices-creator", "api-server", Condition.COMPLETED_SUCCESSFULLY),
            edge("results-cache-indices-creator", "garbage-collector", Condition.COMPLETED_SUCCESSFULLY),
            edge("results-cache-indices-creator", "mcp-server", Condition.COMPLETED_SUCCESSFULLY),
            edge("results-cache-indices-creator", "reducer", Condition.COMPLETED_SUCCESSFULLY),
            edge("results-cache-indices-creator", "webui", Condition.COMPLETED_SUCCESSFULLY));

    /** Services others wait on as HEALTHY, so they carry a health check. */
    private static final Map<String, HealthCheck> CHECKS = Map.of(
            "database", HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(30),
            "results-cache", HealthCheck.command("mongosh", "--eval", "db.runCommand('ping')")
                    .interval(Duration.ofSeconds(2)).retries(30),
            "queue", HealthCheck.command("rabbitmq-diagnostics", "check_running").interval(Duration.ofSeconds(2))
                    .retries(30),
            "redis", HealthCheck.command("redis-cli", "ping").interval(Duration.ofSeconds(2)).retries(30),
            "query-scheduler", HealthCheck.tcp(7000).interval(Duration.ofSeconds(1)).retries(30),
            "webui", HealthCheck.http(4000, "/").interval(Duration.ofSeconds(1)).retries(30));

    private static final Map<String, List<String>> PROFILES = Map.of(
            "compression-scheduler", List.of("celery"),
            "compression-worker", List.of("celery"),
            "spider-scheduler", List.of("spider"),
            "spider-compression-worker", List.of("spider"),
            "query-scheduler", List.of("native-query"),
            "query-worker", List.of("native-query"),
            "reducer", List.of("native-query"),
            "mcp-server", List.of("mcp"));

    private ClpTopology() {
    }

    private static Object[] edge(String dependency, String dependent, Condition condition) {
        return new Object[] {dependency, dependent, condition};
    }

    /** Figure 1 with no profiles: every node always enabled. */
    public static Deployment deployment() {
        return builder(false).build();
    }

    /**
     * Figure 1 with the deployment types as profiles: {@code celery} or {@code spider} for compression,
     * {@code native-query} for the Full types, {@code mcp} for the MCP server.
     */
    public static Deployment withProfiles() {
        return builder(true).build();
    }

    public static Deployment.Builder builder(boolean profiles) {
        Deployment.Builder b = Deployment.builder("clp");
        for (String name : SERVICES) {
            b.service(name, s -> {
                s.image(imageOf(name));
                if (CHECKS.containsKey(name)) {
                    s.healthCheck(CHECKS.get(name));
                }
                dependenciesOf(name).forEach(s::dependsOn);
                if (profiles && PROFILES.containsKey(name)) {
                    s.profiles(PROFILES.get(name).toArray(String[]::new));
                }
            });
        }
        for (String name : JOBS) {
            b.job(name, j -> {
                j.image("clp-package:main").command("python3", "-m", "clp_py_utils." + name);
                dependenciesOf(name).forEach(j::dependsOn);
            });
        }
        return b;
    }

    /** The database password of {@link #rehearsal}: tests check that it never shows up where it must not. */
    public static final String DB_PASSWORD = "clp-db-pass-7f3a9";

    /** The ports each service listens on in a rehearsal. */
    private static final Map<String, Integer> PORTS = Map.of("database", 3306, "results-cache", 27017,
            "queue", 5672, "redis", 6379, "query-scheduler", 7000, "api-server", 3001, "webui", 4000,
            "mcp-server", 8000);

    /**
     * Figure 1 ready to run on a backend, every node enabled: every health-check kind (command, TCP, HTTP, log
     * line) at {@code interval} with 30 retries, ports, the database volume, the database password as a secret
     * (a file for the database, an environment variable for the table creator and the web UI), the two init jobs
     * in a one-slot pool and the compression workers in a two-slot pool.
     *
     * <pre>{@code
     * Deployment clp = ClpTopology.rehearsal("clp-it", Duration.ofSeconds(1)).build();
     * }</pre>
     */
    public static Deployment.Builder rehearsal(String name, Duration interval) {
        Deployment.Builder b = Deployment.builder(name)
                .pool("init", 1)
                .pool("compression", 2)
                .secret(Secret.literal("db-password", DB_PASSWORD));
        for (String node : SERVICES) {
            b.service(node, s -> {
                s.image(imageOf(node)).healthCheck(rehearsalCheck(node).interval(interval).retries(30));
                if (PORTS.containsKey(node)) {
                    s.port(PORTS.get(node));
                }
                switch (node) {
                    case "database" -> s.volume("database-data", "/var/lib/mysql").secret("db-password");
                    case "webui" -> s.secretAsEnv("db-password", "CLP_DB_PASS");
                    case "compression-worker", "spider-compression-worker" -> s.pool("compression");
                    default -> { }
                }
                dependenciesOf(node).forEach(s::dependsOn);
            });
        }
        for (String node : JOBS) {
            b.job(node, j -> {
                j.image("clp-package:main").command("python3", "-m", "clp_py_utils." + node).pool("init");
                if (node.equals("db-table-creator")) {
                    j.secretAsEnv("db-password", "CLP_DB_PASS");
                }
                dependenciesOf(node).forEach(j::dependsOn);
            });
        }
        return b;
    }

    private static HealthCheck rehearsalCheck(String node) {
        return switch (node) {
            case "database" -> HealthCheck.command("mysqladmin", "ping");
            case "queue" -> HealthCheck.command("rabbitmq-diagnostics", "check_running");
            case "redis", "results-cache", "query-scheduler" -> HealthCheck.tcp(PORTS.get(node));
            case "api-server" -> HealthCheck.http(3001, "/health");
            case "webui", "mcp-server" -> HealthCheck.http(PORTS.get(node), "/");
            case "log-ingestor" -> HealthCheck.logLine("ready");
            default -> HealthCheck.command("clp-health");
        };
    }

    private static String imageOf(String name) {
        return switch (name) {
            case "database" -> "mysql:8.0.23";
            case "queue" -> "rabbitmq:3.9.8";
            case "redis" -> "redis:7.2.4";
            case "results-cache" -> "mongo:7.0.1";
            default -> "clp-package:main";
        };
    }

    private static List<Dependency> dependenciesOf(String name) {
        return EDGES.stream().filter(e -> e[1].equals(name))
                .map(e -> Dependency.on((String) e[0], (Condition) e[2])).toList();
    }
}
