package dev.ordo.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Build;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.Network;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.Security;
import dev.ordo.Service;
import dev.ordo.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each thing the issue found compose files of real projects to trip over, pinned with a file of that shape: what
 * Compose runs, Ordo reads as Compose means it.
 */
class ComposeDefectsTest {
    @TempDir
    Path dir;

    private ComposeImport load(String yaml) throws Exception {
        return ComposeFile.at(Files.writeString(dir.resolve("compose.yaml"), yaml)).env(Map.of()).load();
    }

    @Test
    void moreThanFiftyAliasesAreRead() throws Exception {
        StringBuilder b = new StringBuilder("x-env: &env\n  A: \"1\"\nservices:\n");
        for (int i = 0; i < 120; i++) {
            b.append("  s").append(i).append(":\n    image: x:1\n    environment: *env\n");
        }
        assertThat(load(b.toString()).deployment().nodes()).hasSize(120);
    }

    @Test
    void aBillionLaughsIsOneErrorNamingTheLimit() {
        StringBuilder b = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            b.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                b.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            b.append("]\n");
            prev = c;
        }
        b.append("services: {web: {image: x:1}}\n");
        assertThatThrownBy(() -> load(b.toString())).isInstanceOf(ComposeException.class)
                .hasMessageContaining("expands to more than 1,000,000 values through its aliases");
    }

    @Test
    void underscoresInServiceVolumeAndSecretNamesAreKept() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "s3cr3t");
        Deployment d = load("""
                services:
                  plausible_db:
                    image: postgres:16
                    volumes: [db_data:/var/lib/postgresql/data]
                    secrets: [db_password]
                volumes:
                  db_data: {}
                secrets:
                  db_password: {file: ./pw.txt}
                """).deployment();
        Service db = (Service) d.requireNode("plausible_db");
        assertThat(db.container().mounts()).containsExactly(Mount.volume("db_data", "/var/lib/postgresql/data"));
        assertThat(db.container().secrets().get(0).path()).isEqualTo("/run/secrets/db_password");
        // Compose's default mode, world-readable: a real server reads it after dropping root
        assertThat(db.container().secrets().get(0).mode()).isEqualTo(0444);
    }

    @Test
    void userNamesAsComposeTakesThem() throws Exception {
        Deployment d = load("""
                services:
                  a: {image: x:1, user: root}
                  b: {image: x:1, user: "unit:root"}
                  c: {image: x:1, user: "redis:redis"}
                """).deployment();
        assertThat(d.requireNode("a").container().security().dockerUser()).isEqualTo("root");
        assertThat(d.requireNode("b").container().security()).isEqualTo(Security.none().user("unit:root"));
        assertThat(d.requireNode("c").container().security().dockerUser()).isEqualTo("redis:redis");
    }

    @Test
    void buildNextToImageBuildsAndTagsWithTheImage() throws Exception {
        Service api = (Service) load("""
                services:
                  api:
                    image: shop/api:dev
                    build: {context: ./api, dockerfile: Dockerfile.dev, args: {VERSION: "1.4"}, target: runtime}
                  worker:
                    build: ./worker
                """).deployment().requireNode("api");
        assertThat(api.container().image()).isEqualTo("shop/api:dev");
        assertThat(api.container().build()).contains(Build.context(dir.resolve("api").toString())
                .dockerfile("Dockerfile.dev").arg("VERSION", "1.4").target("runtime"));
    }

    @Test
    void aHealthcheckWithoutTestKeepsTheImagesOwn() throws Exception {
        Service db = (Service) load("""
                services:
                  db:
                    image: postgres:16
                    healthcheck: {disable: false, interval: 10s}
                """).deployment().requireNode("db");
        assertThat(db.container().healthCheck()).contains(HealthCheck.fromImage()
                .interval(java.time.Duration.ofSeconds(10)));
    }

    @Test
    void aProfileOnlyServiceWithARefusedKeyDoesNotRejectTheFileWhileItsProfileIsOff() throws Exception {
        String yaml = """
                services:
                  web: {image: nginx:1}
                  debug: {image: busybox:1, privileged: true, profiles: [debug]}
                """;
        ComposeImport off = load(yaml);
        assertThat(off.deployment().nodes()).hasSize(1);
        assertThat(off.disabled()).containsEntry("debug", java.util.List.of("debug"));
        assertThatThrownBy(() -> ComposeFile.at(dir.resolve("compose.yaml")).env(Map.of()).profiles("debug").load())
                .hasMessageContaining("service 'debug': 'privileged' is not supported");
    }

    @Test
    void twoServicesOfProfilesNeverActiveTogetherMayPublishOnePort() throws Exception {
        String yaml = """
                services:
                  pg: {image: postgres:16, profiles: [postgres], ports: ["5432:5432"]}
                  mysql: {image: mysql:8, profiles: [mysql], ports: ["5432:3306"]}
                """;
        Files.writeString(dir.resolve("compose.yaml"), yaml);
        ComposeImport pg = ComposeFile.at(dir.resolve("compose.yaml")).env(Map.of()).profiles("postgres").load();
        assertThat(pg.deployment().plan(pg.selection()).nodes()).hasSize(1);
        ComposeImport both = ComposeFile.at(dir.resolve("compose.yaml")).env(Map.of()).profiles("*").load();
        assertThatThrownBy(() -> both.deployment().plan(both.selection()))
                .hasMessageContaining("publishes host port 5432, which 'pg' publishes too (both are enabled by the"
                        + " selected profiles)");
    }

    @Test
    void composeProfilesAndProjectNameFromDotEnvAndItsInterpolatedValues() throws Exception {
        Files.writeString(dir.resolve(".env"), "COMPOSE_PROFILES=db\nCOMPOSE_PROJECT_NAME=shop\nA=1\nB=${A:-x}-y\n");
        ComposeImport i = load("""
                services:
                  api: {image: "api:${B}", depends_on: [db]}
                  db: {image: postgres:16, profiles: [db]}
                """);
        assertThat(i.deployment().name()).isEqualTo("shop");
        assertThat(i.deployment().requireNode("api").container().image()).isEqualTo("api:1-y");
        assertThat(i.deployment().plan(i.selection()).nodes()).hasSize(2);
    }

    @Test
    void theOverrideFileIsMergedAndASecondFileToo() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  web: {image: nginx:1, ports: [\"80:80\"]}\n");
        Files.writeString(dir.resolve("compose.override.yaml"), "services:\n  web: {environment: {DEBUG: \"1\"}}\n");
        Files.writeString(dir.resolve("extra.yaml"), "services:\n  worker: {image: w:1, depends_on: [web]}\n");
        ComposeImport found = ComposeFile.discover(dir).env(Map.of()).load();
        assertThat(found.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("compose.yaml", "compose.override.yaml");
        assertThat(found.deployment().requireNode("web").container().environment()).containsEntry("DEBUG", "1");
        ComposeImport two = ComposeFile.at(dir.resolve("compose.yaml"), dir.resolve("extra.yaml")).env(Map.of())
                .load();
        assertThat(two.deployment().requireNode("worker").dependencies()).hasSize(1);
    }

    @Test
    void mountOptionsRestartCountsHostAddressesExternalVolumesAndInternalNetworksAreKept() throws Exception {
        Deployment d = load("""
                services:
                  db:
                    image: postgres:16
                    restart: on-failure:3
                    ports: ["127.0.0.1:5432:5432", "[::1]:5433:5432"]
                    volumes: ["./conf:/etc/conf:ro,Z", "pgdata:/var/lib/postgresql/data"]
                    networks: [backend]
                volumes:
                  pgdata: {external: true}
                networks:
                  backend: {internal: true}
                """).deployment();
        Service db = (Service) d.requireNode("db");
        assertThat(db.restartPolicy()).isEqualTo(RestartPolicy.ON_FAILURE);
        assertThat(db.maxRestarts()).isEqualTo(3);
        assertThat(db.container().ports()).containsExactly(Port.published(5432, 5432).onHostIp("127.0.0.1"),
                Port.published(5433, 5432).onHostIp("::1"));
        assertThat(db.container().mounts().get(0)).isEqualTo(Mount.bind(dir.resolve("conf").toString(),
                "/etc/conf").asReadOnly().relabel(Mount.Relabel.PRIVATE));
        assertThat(d.volume("pgdata")).isEqualTo(Volume.external("pgdata"));
        assertThat(d.network("backend")).isEqualTo(Network.of("backend").asInternal());
    }

    @Test
    void theStopSignalIsKeptAndWrittenBack() throws Exception {
        Deployment d = load("services:\n  db: {image: postgres:16, stop_signal: SIGINT}\n").deployment();
        assertThat(d.requireNode("db").container().stopSignal()).isEqualTo("SIGINT");
        assertThat(ComposeExport.of(d)).contains("stop_signal: SIGINT");
    }

    @Test
    void anUnquotedBase60PortGetsAHintAndAYamlErrorItsPosition() throws Exception {
        ComposeImport i = load("services:\n  git:\n    image: gitea:1\n    ports:\n      - 2222:22\n");
        assertThat(i.deployment().requireNode("git").container().ports()).containsExactly(Port.published(2222, 22));
        assertThat(i.warnings()).anySatisfy(w -> assertThat(w).startsWith("compose.yaml:5:9: port '2222:22' is"
                + " unquoted").contains("quote it, \"2222:22\""));
        assertThatThrownBy(() -> load("services:\n  web:\n    image: [nginx\n")).isInstanceOf(ComposeException.class)
                .hasMessageContaining("compose.yaml:4:1");
    }
}
