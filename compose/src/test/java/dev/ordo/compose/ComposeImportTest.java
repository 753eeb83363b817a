package dev.ordo.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real compose files of several shapes, read into deployments; what each key becomes. */
class ComposeImportTest {
    static Path resource(String path) throws Exception {
        return Path.of(ComposeImportTest.class.getResource("/" + path).toURI());
    }

    private static ComposeImport features() throws Exception {
        return ComposeFile.at(resource("features/docker-compose.yml")).env(Map.of("PG_TAG", "16.4")).profiles("*")
                .load();
    }

    @Test
    void everyFeatureOfTheFeaturesFileBecomesWhatComposeMeans() throws Exception {
        ComposeImport imported = features();
        Deployment d = imported.deployment();
        Path dir = resource("features");
        assertThat(d.name()).isEqualTo("shop");
        assertThat(d.pools().get("migrations").slots()).isEqualTo(1);
        assertThat(d.nodes()).extracting(Node::name)
                .containsExactlyInAnyOrder("db", "migrate", "app-base", "api", "worker", "backup", "metrics");

        Service db = (Service) d.requireNode("db");
        assertThat(db.container().image()).isEqualTo("postgres:16.4");                  // ${PG_TAG:-16} from env
        assertThat(db.container().environment()).containsEntry("POSTGRES_DB", "shop")
                .containsEntry("POSTGRES_USER", "shop")                                   // env_file
                .containsEntry("POSTGRES_PASSWORD_FILE", "/run/secrets/db-password")      // export, quotes
                .containsEntry("PGDATA", "/var/lib/postgresql/data/pgdata");              // extends from common.yml
        assertThat(db.container().stopGracePeriod()).isEqualTo(Duration.ofSeconds(20));   // inherited
        assertThat(db.container().mounts()).containsExactly(Mount.volume("db-data", "/var/lib/postgresql/data"),
                Mount.bind(dir.resolve("init").toString(), "/docker-entrypoint-initdb.d").asReadOnly(),
                Mount.tmpfs("/run/postgresql"));
        assertThat(db.container().ports()).containsExactly(Port.of(5432));
        assertThat(db.container().healthCheck()).contains(HealthCheck.command("pg_isready", "-U", "shop")
                .interval(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(1)).retries(10)
                .startPeriod(Duration.ofSeconds(5)));
        assertThat(db.container().secrets()).containsExactly(SecretRef.file("db-password", "/run/secrets/db-password")
                .owner(999, 999).mode(0440));
        assertThat(db.restartPolicy()).isEqualTo(RestartPolicy.UNLESS_STOPPED);

        Job migrate = (Job) d.requireNode("migrate");                 // a dependent waits for it to complete
        assertThat(migrate.container().image()).isEqualTo("shop/migrate:2.1");          // .env
        assertThat(migrate.container().command())
                .containsExactly("migrate", "--url", "postgres://db/shop?sslmode=disable", "up");
        assertThat(migrate.backoffLimit()).isEqualTo(3);                                  // on-failure:3
        assertThat(migrate.pool()).contains("migrations");
        assertThat(migrate.dependencies()).containsExactly(Dependency.on("db", Condition.HEALTHY));

        Service api = (Service) d.requireNode("api");
        assertThat(api.container().environment()).containsEntry("LOG_LEVEL", "info")    // extends app-base
                .containsEntry("PRICE", "cost: $5");                                       // $$ is a dollar
        assertThat(api.restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(api.profiles()).containsExactlyInAnyOrder("base", "web"); // extends appends profiles, as Compose
        assertThat(api.container().ports()).containsExactly(Port.published(8080, 8080), new Port(9090, 0, "udp"));
        assertThat(api.dependencies()).containsExactlyInAnyOrder(
                Dependency.on("migrate", Condition.COMPLETED_SUCCESSFULLY), Dependency.on("db", Condition.STARTED));
        assertThat(api.container().healthCheck()).contains(HealthCheck.shell(
                "wget -q -O /dev/null http://localhost:8080/health"));
        assertThat(api.replicas()).isEqualTo(2);
        assertThat(api.container().secrets()).containsExactly(SecretRef.file("app-config", "/app-config").mode(0444));
        assertThat(api.container().workingDir()).isEqualTo("/srv");
        assertThat(api.container().stopGracePeriod()).isEqualTo(Duration.ofSeconds(30));

        Service worker = (Service) d.requireNode("worker");
        assertThat(worker.replicas()).isEqualTo(3);
        assertThat(worker.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(worker.dependencies()).containsExactly(Dependency.on("api", Condition.STARTED));

        Job backup = (Job) d.requireNode("backup");                   // labelled dev.ordo.kind: job
        assertThat(backup.labels()).containsExactly(Map.entry("team", "ops"));
        assertThat(backup.container().mounts()).containsExactly(Mount.volume("db-data", "/data").asReadOnly());

        Node metrics = d.requireNode("metrics");                        // include, paths relative to its own file
        assertThat(metrics.container().mounts()).containsExactly(Mount.bind(
                dir.resolve("extras/prometheus.yml").toString(), "/etc/prometheus/prometheus.yml").asReadOnly());

        assertThat(d.secrets().get("db-password").source()).isEqualTo(Secret.Source.FILE);
        assertThat(d.secrets().get("db-password").reference())
                .isEqualTo(dir.resolve("secrets/db-password.txt").toString());
        assertThat(d.secrets()).containsKey("app-config");

        assertThat(imported.warnings()).hasSize(3)
                .anySatisfy(w -> assertThat(w).matches("docker-compose\\.yml:\\d+:\\d+: service 'api': 'cap_add' is not"
                        + " supported by Ordo and is ignored"))
                .anySatisfy(w -> assertThat(w).contains("service 'api': container_name 'shop-api' is kept as a network"
                        + " alias"))
                .anySatisfy(w -> assertThat(w).endsWith("service 'api': ports: '9090/udp' has no host port, so Compose"
                        + " would publish it on a random one; Ordo does not publish it (write HOST:9090 to publish it)"));
        assertThat(api.container().networking().aliases()).containsExactly("shop-api");
    }

    @Test
    void aClpShapedFileWithAnchorsMergeKeysAndRequiredVariablesIsFigureOne() throws Exception {
        ComposeImport imported = ComposeFile.at(resource("clp-shaped/docker-compose.yml"))
                .env(Map.of("DB_USER", "clp")).profiles("*").load();
        Deployment d = imported.deployment();
        assertThat(d.name()).isEqualTo("clp-package");
        Deployment figure1 = ClpTopology.builder(true).build();
        assertThat(d.nodes()).extracting(Node::name)
                .containsExactlyInAnyOrderElementsOf(figure1.nodes().stream().map(Node::name).toList());
        for (Node n : figure1.nodes()) {
            Node got = d.requireNode(n.name());
            assertThat(got.kind()).as(n.name()).isEqualTo(n.kind());
            assertThat(new HashSet<>(got.dependencies())).as(n.name()).isEqualTo(new HashSet<>(n.dependencies()));
            assertThat(got.profiles()).as(n.name()).isEqualTo(n.profiles());
        }
        Service db = (Service) d.requireNode("database");
        assertThat(db.container().image()).isEqualTo("mariadb:10-jammy");                // overrides the anchor's
        assertThat(db.container().stopGracePeriod()).isEqualTo(Duration.ofSeconds(60)); // from <<: *defaults
        assertThat(db.container().healthCheck().orElseThrow().retries()).isEqualTo(30);
        assertThat(db.container().ports()).containsExactly(Port.published(3306, 3306).onHostIp("127.0.0.1"));
        assertThat(((Service) d.requireNode("query-worker")).replicas()).isEqualTo(2);   // "${WORKERS:-2}"
        assertThat(d.requireNode("reducer").container().image()).isEqualTo("clp-package:main");
        // CLP runs its containers as the host user: "${CLP_UID_GID:-1000:1000}"
        assertThat(db.container().security()).isEqualTo(dev.ordo.Security.none().user(1000).group(1000));
        assertThat(imported.warnings()).noneMatch(w -> w.contains("'user'")).noneMatch(w -> w.contains("host_ip"))
                .anySatisfy(w -> assertThat(w).endsWith("service 'database': 'logging' is ignored: the engine's default"
                        + " log driver is used (Ordo follows the output itself)"))
                .anySatisfy(w -> assertThat(w).endsWith("service 'database': healthcheck.start_interval is ignored: Ordo"
                        + " probes every 50 ms during the first 30 s anyway, until the check first passes"));
        d.plan(); // and it plans
    }

    @Test
    void aServiceWaitedForAsHealthyWithoutAHealthcheckHasItsImagesOwnAsInCompose(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  db:
                    image: postgres:16
                  api:
                    image: shop/api:1
                    depends_on:
                      db:
                        condition: service_healthy
                  off:
                    image: redis:7
                    healthcheck: {disable: true}
                  worker:
                    image: shop/worker:1
                    depends_on:
                      off: {condition: service_healthy}
                """);
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("compose.yaml")).load())
                .hasMessageContaining("compose.yaml:15:7: service 'worker': depends_on: 'off' with condition"
                        + " service_healthy, but 'off' has its healthcheck disabled");
        Files.writeString(dir.resolve("compose.yaml"), Files.readString(dir.resolve("compose.yaml"))
                .replace("disable: true", "test: [CMD, redis-cli, ping]"));
        ComposeImport imported = ComposeFile.at(dir.resolve("compose.yaml")).load();
        assertThat(imported.deployment().requireNode("db").container().healthCheck())
                .contains(HealthCheck.fromImage());
        assertThat(imported.warnings()).anySatisfy(w -> assertThat(w).contains("service 'db' has no healthcheck,"
                + " and a service waits for it to be healthy: its image's own HEALTHCHECK decides"));
    }

    @Test
    void aRequiredVariableThatIsNotSetIsAnErrorNamingItAndItsMessage() {
        assertThatThrownBy(() -> ComposeFile.at(resource("clp-shaped/docker-compose.yml")).env(Map.of()).load())
                .hasMessageContaining("variable DB_USER is required: set DB_USER");
    }

    @Test
    void badQuantitiesAndUnknownTolerationEffectsAreNamedWithTheFix(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  db:
                    image: postgres:16
                    user: postgres
                    deploy:
                      resources:
                        limits:
                          memory: 1x
                    x-ordo:
                      tolerations:
                        - key: dedicated
                          effect: sometimes
                """);
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("docker-compose.yml")).load())
                .hasMessageContaining("toleration effect 'sometimes'; use one of any, no_schedule");
        // a byte value Compose does not know reaches build(), which names it
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  db:
                    image: postgres:16
                    deploy:
                      resources:
                        limits:
                          memory: 1x
                """);
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("docker-compose.yml")).load())
                .hasMessageContaining("service 'db' has memory limit '1x', which is not a Kubernetes quantity");
    }

    @Test
    void keysThatWouldChangeWhatRunsAreErrorsNamingEachServiceKeyAndFix(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  app:
                    privileged: true
                    network_mode: host
                  db:
                    image: postgres:16
                    restart: sometimes
                    depends_on:
                      app:
                        condition: service_ready
                """);
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("docker-compose.yml")).load())
                .hasMessageContaining("service 'app': 'privileged' is not supported")
                .hasMessageContaining("service 'app': has no image; give one (image: NAME:TAG) or build one")
                .hasMessageContaining("service 'app': 'network_mode' is not supported")
                .hasMessageContaining("service 'db': restart 'sometimes' is not one of")
                .hasMessageContaining("condition 'service_ready' is not one of");
    }

    @Test
    void strictMakesEveryWarningAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                services:
                  app:
                    image: nginx:1
                    cap_add: [NET_ADMIN]
                    environment:
                      URL: http://${HOST}/
                """);
        ComposeImport lenient = ComposeFile.at(dir.resolve("docker-compose.yml")).env(Map.of()).load();
        assertThat(lenient.warnings()).containsExactly(
                "variable HOST is not set: it stands for an empty string (set it, or give a default: ${HOST:-value})",
                "docker-compose.yml:4:5: service 'app': 'cap_add' is not supported by Ordo and is ignored");
        assertThat(lenient.deployment().name()).isEqualTo(dir.getFileName().toString().toLowerCase()
                .replaceAll("[^a-z0-9_-]", ""));
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("docker-compose.yml")).env(Map.of()).strict().load())
                .hasMessageContaining("cap_add").hasMessageContaining("HOST");
    }

    @Test
    void aMissingFileAndABrokenOneAreErrorsNamingThem(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("nope.yml")).load())
                .hasMessageContaining("nope.yml does not exist");
        Files.writeString(dir.resolve("bad.yml"), "services: [\n");
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("bad.yml")).load())
                .hasMessageContaining("bad.yml:2:1: while parsing a flow node");
        Files.writeString(dir.resolve("loop.yml"), "include: [loop.yml]\nservices: {}\n");
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("loop.yml")).load()).hasMessageContaining("includes itself");
        Files.writeString(dir.resolve("ext.yml"), "services:\n  a:\n    extends: {service: nowhere}\n    image: x\n");
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("ext.yml")).load())
                .hasMessageContaining("ext.yml:3:5: service 'a' extends 'nowhere', which this file does not define");
    }

    @Test
    void theProjectNameOptionWinsAsDockerComposeP() throws Exception {
        assertThat(ComposeFile.at(resource("features/docker-compose.yml")).projectName("other").profiles("*").load()
                .deployment().name()).isEqualTo("other");
        assertThat(features().deployment().name()).isEqualTo("shop");
    }
    @Test
    void noNewPrivilegesWithEveryCapabilityDroppedIsHardenedAndEitherAloneIsAWarning(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  api:
                    image: api:1
                    user: "1000"
                    security_opt: ["no-new-privileges:true"]
                    cap_drop: [ALL]
                  db:
                    image: postgres:16
                    security_opt: ["no-new-privileges:true"]
                """);
        ComposeImport imported = ComposeFile.at(dir.resolve("compose.yaml")).load();
        assertThat(imported.deployment().requireNode("api").container().security().hardened()).isTrue();
        // Mattermost's files: no-new-privileges alone; dropping every capability would stop its database
        assertThat(imported.deployment().requireNode("db").container().security().hardened()).isFalse();
        assertThat(imported.warnings()).anySatisfy(w -> assertThat(w).contains("db").contains("'security_opt'"))
                .noneMatch(w -> w.contains("api") && w.contains("security_opt"));
    }
}
