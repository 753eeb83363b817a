package dev.ordo.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.ClpTopology;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments written as compose files that the real {@code docker-compose config} accepts, and that read back to
 * equal deployments.
 */
class ComposeRoundTripTest {
    @TempDir
    Path dir;

    /** Writes {@code d}, checks the file with docker-compose, reads it back. */
    private Deployment roundTrip(Deployment d, Map<String, String> env) throws Exception {
        Path file = dir.resolve("docker-compose.yml");
        Files.writeString(file, ComposeExport.of(d));
        DockerComposeCli.assertAccepts(file, env);
        return ComposeFile.at(file).env(env).profiles("*").load().deployment();
    }

    private static void assertSame(Deployment back, Deployment d) {
        assertThat(back.name()).isEqualTo(d.name());
        assertThat(back.pools()).isEqualTo(d.pools());
        assertThat(back.secrets()).isEqualTo(d.secrets());
        for (Node n : d.nodes()) {
            assertThat(back.requireNode(n.name())).as(n.name()).isEqualTo(n);
        }
        assertThat(back.nodes()).hasSameSizeAs(d.nodes());
    }

    @Test
    void figureOneOfClpWithProfilesComesBackEqual() throws Exception {
        Deployment clp = ClpTopology.builder(true).build();
        assertSame(roundTrip(clp, Map.of()), clp);
    }

    @Test
    void theFeaturesProjectComesBackEqualOnceRead() throws Exception {
        Deployment features = ComposeFile.at(ComposeImportTest.resource("features/docker-compose.yml"))
                .env(Map.of()).profiles("*").load().deployment();
        assertSame(roundTrip(features, Map.of()), features);
    }

    @Test
    void whatComposeHasNoKeyForTravelsInXOrdo() throws Exception {
        Path secret = Files.writeString(dir.resolve("token.txt"), "t");
        Deployment d = Deployment.builder("ordo-only")
                .pool("uploads", 2)
                .secret(Secret.fromFile("token", secret))
                .secret(Secret.fromEnv("api-key", "API_KEY"))
                .service("web", s -> s.image("nginx:1.27").port(8080)
                        .healthCheck(HealthCheck.http(8080, "/health").interval(Duration.ofMillis(500)))
                        .env("PRICE", "$5").secret("token").secret("api-key"))
                .service("tcp", s -> s.image("redis:7").healthCheck(HealthCheck.tcp(6379)))
                .service("logs", s -> s.image("app:1").healthCheck(HealthCheck.logLine("ready in \\d+ ms"))
                        .dependsOn(dev.ordo.Dependency.on("web", dev.ordo.Condition.HEALTHY).restart(true))
                        .dependsOn(dev.ordo.Dependency.on("tcp", dev.ordo.Condition.STARTED).required(false)))
                .job("upload", j -> j.image("uploader:1").retries(4).activeDeadline(Duration.ofMinutes(10))
                        .pool("uploads").dependsOn("web", dev.ordo.Condition.HEALTHY))
                .build();
        assertSame(roundTrip(d, Map.of("API_KEY", "k")), d);
    }

    @Test
    void aVolumesAccessModeTravelsInXOrdo() throws Exception {
        Deployment d = Deployment.builder("shared")
                .volume(dev.ordo.Volume.of("uploads").readWriteMany())
                .service("web", s -> s.image("nginx:1.27").volume("uploads", "/srv/uploads"))
                .service("worker", s -> s.image("worker:1").volume("uploads", "/uploads"))
                .build();
        Deployment back = roundTrip(d, Map.of());
        assertThat(back.volume("uploads").manyNodes()).isTrue();
        assertThat(back.volume("uploads")).isEqualTo(d.volume("uploads"));
    }

    @Test
    void resourcesUsersAndSchedulingTravelAsComposeKeysOrInXOrdo() throws Exception {
        Deployment d = Deployment.builder("settings")
                .service("db", s -> s.image("mariadb:10.11").replicas(2)
                        .resources(dev.ordo.Resources.none().cpu("250m", "1500m").memory("256Mi", "1Gi"))
                        .security(dev.ordo.Security.none().user(999).group(999).nonRoot().readOnlyRoot())
                        .liveness(HealthCheck.tcp(3306).interval(Duration.ofSeconds(5)).retries(2))
                        .nodeSelector("disktype", "ssd")
                        .toleration(dev.ordo.Toleration.equal("dedicated", "db", dev.ordo.Toleration.Effect.NO_SCHEDULE))
                        .toleration(dev.ordo.Toleration.exists("node.kubernetes.io/unreachable",
                                dev.ordo.Toleration.Effect.NO_EXECUTE).forAtMost(Duration.ofMinutes(5))))
                .service("web", s -> s.image("nginx:1.27").resources(dev.ordo.Resources.none().memory("", "512Mi"))
                        .liveness(HealthCheck.command("test", "-e", "/tmp/alive")))
                .service("api", s -> s.image("api:1").security(dev.ordo.Security.restricted().user(1000)))
                .build();
        String yaml = ComposeExport.of(d);
        // Security.harden() as Compose's own keys, which docker compose applies as Ordo's Docker backend does
        assertThat(yaml).contains("no-new-privileges:true", "cap_drop:");
        // Compose's own keys where it has them, so that docker compose applies them too
        assertThat(yaml).contains("cpus: \"1.5\"", "memory: 1g", "memory: 256m", "user: \"999:999\"",
                "read_only: true");
        assertSame(roundTrip(d, Map.of()), d);
    }

    @Test
    void whatComposeCannotExpressIsAnErrorNamingEachThing() {
        Deployment d = Deployment.builder("cannot")
                .secret(Secret.literal("pw", "s3cr3t-value"))
                .service("db", s -> s.image("postgres:16").secretAsEnv("pw", "PGPASSWORD"))
                .job("nightly", j -> j.image("backup:1").schedule("0 2 * * *"))
                .build();
        assertThatThrownBy(() -> ComposeExport.of(d))
                .hasMessageContaining("secret 'pw' is a literal")
                .hasMessageContaining("node 'db' reads secret 'pw' from environment variable PGPASSWORD")
                .hasMessageContaining("job 'nightly' runs on demand or on a schedule")
                .hasMessageNotContaining("s3cr3t-value");
    }

}
