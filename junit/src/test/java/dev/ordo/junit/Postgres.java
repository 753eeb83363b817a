package dev.ordo.junit;

import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import java.time.Duration;

/**
 * The README's test with a real PostgreSQL: the server (Debian's PostgreSQL 15, built by scripts/real-images.sh; the
 * official postgres image takes the same environment), its password from a secret file, and a migration job that
 * creates the schema with psql once the server answers.
 */
final class Postgres {
    static final String IMAGE = "ordo-real/postgres:15";
    static final String PASSWORD = "test-only-password";

    private Postgres() {
    }

    static Deployment deployment() {
        return Deployment.builder("pg")
                .secret(Secret.literal("pg-password", PASSWORD))
                .service("db", s -> s.image(IMAGE).port(5432)
                        .secret(SecretRef.file("pg-password").owner(999, 999).mode(0400))
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/pg-password").env("POSTGRES_DB", "shop")
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres", "-d", "shop")
                                .interval(Duration.ofMillis(500)).retries(60)))
                .job("migrate", j -> j.image(IMAGE).dependsOn("db", HEALTHY)
                        .secret(SecretRef.file("pg-password").mode(0444))
                        .shell("PGPASSWORD=$(cat /run/secrets/pg-password) psql -h db -U postgres -d shop"
                                + " -v ON_ERROR_STOP=1 -c 'create table orders (id serial primary key, item text)'"))
                .build();
    }
}
