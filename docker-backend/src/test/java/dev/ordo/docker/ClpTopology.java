package dev.ordo.docker;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.ServiceBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLP package's 16 services and 2 init jobs with every edge of its architecture figure, all enabled, for
 * rehearsals on a real engine (the ITs and the benchmark). The examples module has the full CLP definition; this
 * copy exists because the backend's tests cannot depend on the examples module, which depends on the backend.
 * Health checks cover every kind, all with the given interval.
 *
 * <pre>{@code
 * Deployment clp = ClpTopology.deployment("clp-it", Duration.ofSeconds(1));
 * }</pre>
 */
final class ClpTopology {
    private ClpTopology() {
    }

    static Deployment deployment(String name, Duration interval) {
        return Deployment.builder(name)
                .pool("compression", 2)
                .service("database", s -> s.image("mysql:8.0.23").port(3306).volume("database-data", "/var/lib/mysql")
                        .healthCheck(HealthCheck.command("mysqladmin", "ping").interval(interval).retries(30)))
                .service("results-cache", s -> s.image("mongo:7.0.1").port(27017)
                        .healthCheck(HealthCheck.command("mongosh", "--eval", "ping").interval(interval).retries(30)))
                .service("queue", s -> s.image("rabbitmq:3.9.8").port(5672)
                        .healthCheck(HealthCheck.command("rabbitmq-diagnostics", "check_running").interval(interval)
                                .retries(30)))
                .service("redis", s -> s.image("redis:7.2.4").port(6379)
                        .healthCheck(HealthCheck.tcp(6379).interval(interval).retries(30)))
                .job("db-table-creator", j -> j.image("clp-package:main").dependsOn("database", HEALTHY))
                .job("results-cache-indices-creator", j -> j.image("clp-package:main")
                        .dependsOn("results-cache", HEALTHY))
                .service("compression-scheduler", s -> clp(s, interval)
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-scheduler", s -> clp(s, interval).port(7000)
                        .healthCheck(HealthCheck.tcp(7000).interval(interval).retries(30))
                        .dependsOn("queue", HEALTHY).dependsOn("redis", HEALTHY)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("spider-scheduler", s -> clp(s, interval)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("compression-worker", s -> clp(s, interval).pool("compression"))
                .service("spider-compression-worker", s -> clp(s, interval).pool("compression")
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("query-worker", s -> clp(s, interval))
                .service("reducer", s -> clp(s, interval)
                        .dependsOn("query-scheduler", HEALTHY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("api-server", s -> clp(s, interval).port(3001)
                        .healthCheck(HealthCheck.http(3001, "/health").interval(interval).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("log-ingestor", s -> clp(s, interval)
                        .healthCheck(HealthCheck.logLine("ready").interval(interval).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY))
                .service("garbage-collector", s -> clp(s, interval)
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("webui", s -> clp(s, interval).port(4000)
                        .healthCheck(HealthCheck.http(4000, "/").interval(interval).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .service("mcp-server", s -> clp(s, interval).port(8000)
                        .healthCheck(HealthCheck.http(8000, "/").interval(interval).retries(30))
                        .dependsOn("db-table-creator", COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", COMPLETED_SUCCESSFULLY))
                .build();
    }

    private static ServiceBuilder clp(ServiceBuilder s, Duration interval) {
        return s.image("clp-package:main")
                .healthCheck(HealthCheck.command("clp-health").interval(interval).retries(30));
    }

    /** Readiness (services) and run (jobs) delays of 1 to 2 s, varied per node but fixed from run to run. */
    static Map<String, Duration> delays(Deployment d, Duration min, Duration max) {
        Map<String, Duration> out = new LinkedHashMap<>();
        long span = max.toMillis() - min.toMillis();
        for (var n : d.nodes()) {
            long h = Math.floorMod(n.name().hashCode(), 1000);
            out.put(n.name(), min.plusMillis(span * h / 999));
        }
        return out;
    }

    static StandIns standIns(Map<String, Duration> delays) {
        StandIns s = StandIns.defaults();
        for (var e : delays.entrySet()) {
            s = s.readyAfter(e.getKey(), e.getValue());
        }
        return s;
    }
}
