package dev.ordo.examples;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.ServiceBuilder;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * ScopeMArchiver's Prefect backend (seed {@code 003}): the Prefect server and its Postgres, the one-off
 * {@code prefect-config} job that creates the variables, secrets and concurrency limits and must complete before
 * the archival and retrieval workers start, and the flows as on-demand jobs whose concurrency limits are pools
 * ({@code lts-write}: one writer to the LTS share at a time). Secrets are read from files, as the seed's
 * {@code .secrets/*.txt}.
 *
 * <pre>{@code
 * Deployment d = ScopeMArchiver.deployment(Path.of(".secrets"));
 * Orchestrator.using(DockerBackend.local()).up(d.plan());
 * }</pre>
 */
public final class ScopeMArchiver {
    /** The pool of flows that write to the LTS share. */
    public static final String LTS_WRITE = "lts-write";
    /** The pool of flows that read from it. */
    public static final String LTS_READ = "lts-read";
    /** The manual trigger of one archival flow run. */
    public static final String ARCHIVE = "archive-dataset";
    /** The manual trigger of one retrieval flow run. */
    public static final String RETRIEVE = "retrieve-dataset";
    /** The secret files the deployment reads from its secrets directory. */
    public static final List<String> SECRET_FILES = List.of("postgresuser.txt", "postgrespass.txt", "miniouser.txt",
            "miniopass.txt");

    private ScopeMArchiver() {
    }

    /** The deployment, its secrets read (when delivered) from the files {@link #SECRET_FILES} in {@code secrets}. */
    public static Deployment deployment(Path secrets) {
        return Deployment.builder("scopem-archiver")
                .pool(LTS_WRITE, 1)
                .pool(LTS_READ, 2)
                .secret(Secret.fromFile("postgres-user", secrets.resolve("postgresuser.txt")))
                .secret(Secret.fromFile("postgres-pass", secrets.resolve("postgrespass.txt")))
                .secret(Secret.fromFile("minio-user", secrets.resolve("miniouser.txt")))
                .secret(Secret.fromFile("minio-pass", secrets.resolve("miniopass.txt")))
                .service("prefect-db", s -> s.image("postgres:15").port(5432)
                        .volume("prefect-db-data", "/var/lib/postgresql/data")
                        .secret("postgres-user").secret("postgres-pass")
                        .env("POSTGRES_USER_FILE", "/run/secrets/postgres-user")
                        .env("POSTGRES_PASSWORD_FILE", "/run/secrets/postgres-pass").env("POSTGRES_DB", "prefect")
                        .healthCheck(HealthCheck.command("pg_isready", "-d", "prefect").interval(Duration.ofSeconds(5)))
                        .restart(RestartPolicy.UNLESS_STOPPED))
                .service("prefect-server", s -> s.image("prefecthq/prefect:3-python3.12").port(4200)
                        .command("prefect", "server", "start", "--host", "0.0.0.0")
                        .secret("postgres-user").secret("postgres-pass").env("PREFECT_DB_HOST", "prefect-db")
                        .healthCheck(HealthCheck.http(4200, "/api/health").interval(Duration.ofSeconds(5))
                                .startPeriod(Duration.ofSeconds(20)))
                        .restart(RestartPolicy.UNLESS_STOPPED)
                        .dependsOn("prefect-db", HEALTHY))
                .job("prefect-config", j -> j.image("scopem-archiver-backend:local")
                        .command("python", "-m", "archiver.config", "--vars", "prefect-vars.toml",
                                "--limits", "concurrency-limits.toml")
                        .env("PREFECT_API_URL", "http://prefect-server:4200/api")
                        .secret("minio-user").secret("minio-pass").retries(2)
                        .dependsOn("prefect-server", HEALTHY))
                .service("prefect-archival-worker", s -> worker(s, "archival"))
                .service("prefect-retrieval-worker", s -> worker(s, "retrieval"))
                .job(ARCHIVE, j -> j.image("scopem-archiver-runtime:local").onDemand().pool(LTS_WRITE)
                        .env("PREFECT_API_URL", "http://prefect-server:4200/api").volume("lts", "/lts")
                        .secret("minio-user").secret("minio-pass")
                        .dependsOn("prefect-archival-worker", HEALTHY))
                .job(RETRIEVE, j -> j.image("scopem-archiver-runtime:local").onDemand().pool(LTS_READ)
                        .env("PREFECT_API_URL", "http://prefect-server:4200/api").volume("lts", "/lts")
                        .secret("minio-user").secret("minio-pass")
                        .dependsOn("prefect-retrieval-worker", HEALTHY))
                .trigger(ARCHIVE, t -> t.target(ARCHIVE).manual().overlap(Overlap.QUEUE))
                .trigger(RETRIEVE, t -> t.target(RETRIEVE).manual().overlap(Overlap.ALLOW))
                .build();
    }

    private static ServiceBuilder worker(ServiceBuilder s, String kind) {
        return s.image("scopem-archiver-backend:local")
                .command("prefect", "worker", "start", "--pool", kind + "-docker-workpool")
                .env("PREFECT_API_URL", "http://prefect-server:4200/api")
                .volume("lts", "/lts")
                .healthCheck(HealthCheck.command("prefect", "version").interval(Duration.ofSeconds(10)))
                .restart(RestartPolicy.UNLESS_STOPPED)
                .dependsOn("prefect-config", COMPLETED_SUCCESSFULLY).dependsOn("prefect-server", HEALTHY);
    }

    /** In virtual time: Postgres ready in 3 s, the server in 15 s, the configuration in 8 s, the workers in 5-6 s, an archive in 30 min. */
    public static SimulatedBackend simulated() {
        return SimulatedBackend.create()
                .readyAfter("prefect-db", Duration.ofSeconds(3))
                .readyAfter("prefect-server", Duration.ofSeconds(15))
                .exitsAfter("prefect-config", Duration.ofSeconds(8), 0)
                .readyAfter("prefect-archival-worker", Duration.ofSeconds(6))
                .readyAfter("prefect-retrieval-worker", Duration.ofSeconds(5))
                .exitsAfter(ARCHIVE, Duration.ofMinutes(30), 0)
                .exitsAfter(RETRIEVE, Duration.ofMinutes(10), 0);
    }

    /** Stand-ins for a rehearsal on a real engine: archives of {@code archive}. */
    public static StandIns standIns(Duration archive) {
        return StandIns.defaults().readyAfter(Duration.ofMillis(300)).runFor("prefect-config", Duration.ofMillis(500))
                .runFor(ARCHIVE, archive).runFor(RETRIEVE, Duration.ofMillis(300));
    }
}
