package dev.ordo.kubernetes;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Secret;
import java.time.Duration;

/**
 * The CLP package's topology from its design document (Figure 1): 16 services, 2 initialisation jobs and every
 * edge with its condition. Both jobs share a one-slot pool so that pool enforcement shows on the cluster.
 */
final class Clp {
    static final String DB_PASSWORD = "clp-db-pass-7f3a9";

    private Clp() {
    }

    static Deployment deployment() {
        return builder().build();
    }

    static Deployment.Builder builder() {
        HealthCheck ping = HealthCheck.command("true").interval(Duration.ofSeconds(1));
        return Deployment.builder("clp")
                .pool("init", 1)
                .secret(Secret.literal("db-password", DB_PASSWORD))
                .service("database", s -> s.image("mysql:8.0.23").port(3306).healthCheck(
                        HealthCheck.command("mysqladmin", "ping")).volume("database-data", "/var/lib/mysql")
                        .secret("db-password"))
                .service("queue", s -> s.image("rabbitmq:3.9.8").port(5672).healthCheck(
                        HealthCheck.command("rabbitmq-diagnostics", "check_running")))
                .service("redis", s -> s.image("redis:7.2.4").port(6379).healthCheck(HealthCheck.tcp(6379)))
                .service("results-cache", s -> s.image("mongo:7.0.1").port(27017).healthCheck(
                        HealthCheck.tcp(27017)))
                .job("db-table-creator", j -> j.image("clp-package:main").pool("init")
                        .command("python3", "-m", "clp_py_utils.create-db-tables")
                        .secretAsEnv("db-password", "CLP_DB_PASS")
                        .dependsOn("database", Condition.HEALTHY))
                .job("results-cache-indices-creator", j -> j.image("clp-package:main").pool("init")
                        .command("python3", "-m", "clp_py_utils.initialize-results-cache")
                        .dependsOn("results-cache", Condition.HEALTHY))
                .service("compression-scheduler", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("queue", Condition.HEALTHY).dependsOn("redis", Condition.HEALTHY)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("query-scheduler", s -> s.image("clp-package:main").port(7000).healthCheck(ping)
                        .dependsOn("queue", Condition.HEALTHY).dependsOn("redis", Condition.HEALTHY)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("spider-scheduler", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("compression-worker", s -> s.image("clp-package:main").replicas(2).healthCheck(ping))
                .service("spider-compression-worker", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("query-worker", s -> s.image("clp-package:main").healthCheck(ping))
                .service("reducer", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("query-scheduler", Condition.HEALTHY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("api-server", s -> s.image("clp-package:main").port(3001).healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("garbage-collector", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("webui", s -> s.image("clp-package:main").port(4000).healthCheck(HealthCheck.http(4000, "/"))
                        .secretAsEnv("db-password", "CLP_DB_PASS")
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("mcp-server", s -> s.image("clp-package:main").port(8000).healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("results-cache-indices-creator", Condition.COMPLETED_SUCCESSFULLY))
                .service("log-ingestor", s -> s.image("clp-package:main").healthCheck(ping)
                        .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY));
    }
}
