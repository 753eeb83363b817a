package dev.ordo.docker;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ExecResult;
import dev.ordo.spi.NodeAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The deployment the real-PostgreSQL tests share, as a user would write it: service {@code db} on
 * {@code ordo-real/postgres:15} with its data in named volume {@code pgdata}, the superuser's password from secret
 * {@code pg-password} delivered as a file the server's user (uid 999) may read, {@code pg_isready} as its health
 * check, the image's own stop signal (SIGINT); and job {@code writer}, same image, which authenticates over the
 * network with the same secret once {@code db} is healthy, creates table {@code items}, inserts rows 1..3 (again
 * harmlessly when run again) and adds a row to {@code writer_runs} for every run. Plus what the tests read back:
 * queries, and the server's log with the engine's timestamps.
 *
 * <pre>{@code
 * Deployment d = RealPostgres.deployment(name, Secret.literal(RealPostgres.SECRET, password));
 * RealPostgres.query(backend, d, "SELECT count(*) FROM items");   // "3"
 * }</pre>
 */
final class RealPostgres {
    static final String IMAGE = RealImages.POSTGRES;
    static final String SECRET = "pg-password";
    static final String SECRET_PATH = "/run/secrets/" + SECRET;
    /** The environment variable a child JVM reads the password from (never its command line). */
    static final String PASSWORD_VARIABLE = "ORDO_TEST_PG_PASSWORD";
    /** The line PostgreSQL logs when it accepts queries (also logged by the entry script's private init server). */
    static final String READY = "database system is ready to accept connections";
    /** Logged once per start of the real server: the entry script's init server listens on no TCP address. */
    static final String LISTENING = "listening on IPv4 address";
    static final String SHUT_DOWN = "database system is shut down";

    private static final String CLIENT = "set -e\n"
            + "export PGPASSWORD=\"$(cat " + SECRET_PATH + ")\"\n"
            + "q() { psql -h db -U postgres -v ON_ERROR_STOP=1 -qtA \"$@\"; }\n";
    private static final String WRITE = CLIENT
            + "q -c 'CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text NOT NULL)'"
            + " -c 'CREATE TABLE IF NOT EXISTS writer_runs (at timestamptz NOT NULL DEFAULT now())'"
            + " -c \"INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three') ON CONFLICT DO NOTHING\""
            + " -c 'INSERT INTO writer_runs DEFAULT VALUES'\n"
            + "echo 'writer: rows written'\n";
    /** A long migration: run number {@code run} works on for a minute after writing (interruptible by SIGTERM). */
    private static String writeSlowlyOnRun(int run) {
        return WRITE
                + "if [ \"$(q -c 'SELECT count(*) FROM writer_runs')\" = " + run + " ]; then\n"
                + "  echo 'writer: run " + run + ", working on for 60 s'\n"
                + "  trap 'echo writer: stopped; exit 143' TERM\n"
                + "  sleep 60 & wait $!\n"
                + "fi\n";
    }

    private RealPostgres() {
    }

    /** A fresh password for one test. */
    static String newPassword() {
        return "pw-" + java.util.UUID.randomUUID();
    }

    /** db and writer, db without a restart policy. */
    static Deployment deployment(String name, Secret password) {
        return builder(name, password, RestartPolicy.NO, WRITE).build();
    }

    /** db and writer, db with restart policy {@code policy}. */
    static Deployment deployment(String name, Secret password, RestartPolicy policy) {
        return builder(name, password, policy, WRITE).build();
    }

    /** db and a writer whose run number {@code run} (counted in the database) goes on for 60 s after writing. */
    static Deployment slowWriter(String name, Secret password, int run) {
        return builder(name, password, RestartPolicy.NO, writeSlowlyOnRun(run)).build();
    }

    /** db alone. */
    static Deployment dbOnly(String name, Secret password, RestartPolicy policy) {
        return builder(name, password, policy, null).build();
    }

    private static Deployment.Builder builder(String name, Secret password, RestartPolicy policy, String writer) {
        Deployment.Builder b = Deployment.builder(name)
                .secret(password)
                .service("db", s -> s.image(IMAGE)
                        .volume("pgdata", "/var/lib/postgresql/data")
                        .secret(SecretRef.file(SECRET).owner(999, 999).mode(0400))
                        .env("POSTGRES_PASSWORD_FILE", SECRET_PATH)
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres")
                                .interval(Duration.ofSeconds(1)).startPeriod(Duration.ofSeconds(60)))
                        .restart(policy));
        if (writer != null) {
            b.job("writer", j -> j.image(IMAGE).secret(SECRET).dependsOn("db", Condition.HEALTHY).retries(3)
                    .shell(writer));
        }
        return b;
    }

    /** Runs {@code sql} in db as the superuser (over the local socket); its output, or a failure naming it. */
    static String query(Backend backend, Deployment d, String sql) {
        ExecResult r = NodeAccess.of(backend, "db").exec(d, "db", List.of("psql", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qtAc",
                sql));
        if (r.exitCode() != 0) {
            fail("query `" + sql + "` in db of " + d.name() + " failed with exit code " + r.exitCode() + ": "
                    + r.text());
        }
        return r.text().strip();
    }

    /** {@link #query}, or empty while db does not answer queries (no running container yet, still starting). */
    static Optional<String> tryQuery(Backend backend, Deployment d, String sql) {
        try {
            ExecResult r = NodeAccess.of(backend, "db").exec(d, "db", List.of("psql", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-qtAc",
                    sql));
            return r.exitCode() == 0 ? Optional.of(r.text().strip()) : Optional.empty();
        } catch (RuntimeException notYet) {
            return Optional.empty();
        }
    }

    /** Everything container {@code id} printed, stdout and stderr, each line prefixed with the engine's timestamp. */
    static List<String> serverLog(URI engine, String id) {
        return docker(engine, "logs", "-t", id).lines().toList();
    }

    /** How often the real server started (the entry script's private init server not counted). */
    static long starts(List<String> log) {
        return log.stream().filter(l -> l.contains(LISTENING)).count();
    }

    /** When the engine received the real server's last "ready to accept connections" line. */
    static Instant lastReady(List<String> log) {
        int from = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(LISTENING)) {
                from = i;
            }
        }
        for (int i = from; i < log.size(); i++) {
            if (log.get(i).contains(READY)) {
                return Instant.parse(log.get(i).substring(0, log.get(i).indexOf(' ')));
            }
        }
        throw new AssertionError("PostgreSQL never logged '" + READY + "' after it listened on TCP:\n"
                + String.join("\n", log));
    }

    /** Runs the docker CLI against {@code engine}; its output, or a failure naming the command. */
    static String docker(URI engine, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("docker", "-H", engine.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run the docker CLI (" + e + "); install docker.io", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The local engine, as the tests' own docker-java client reaches it. */
    static URI localEngine() {
        String host = System.getenv("DOCKER_HOST");
        return URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
    }
}
