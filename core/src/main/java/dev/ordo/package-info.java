/**
 * Ordo's entry points: the deployment model and its DSL ({@link dev.ordo.Deployment#builder(String)}), services, jobs, conditions, pools, health checks, volumes and secrets. Every value is immutable and null-hostile; {@code build()} validates a deployment whole.
 *
 * <pre>{@code
 * Deployment d = Deployment.builder("demo")
 *     .service("db", s -> s.image("postgres:16").healthCheck(HealthCheck.tcp(5432)))
 *     .job("migrate", j -> j.image("app:1").dependsOn("db", Condition.HEALTHY))
 *     .build();
 * }</pre>
 */
package dev.ordo;
