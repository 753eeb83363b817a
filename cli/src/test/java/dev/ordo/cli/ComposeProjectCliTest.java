package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on compose projects as {@code docker compose} reads them: several {@code -f} files merged, the
 * project found without {@code -f} with its {@code compose.override.yaml}, {@code .env} choosing the profiles,
 * {@code -p}, and every problem of the input said where it stands, with exit code 2.
 */
class ComposeProjectCliTest {
    private final CliSession cli = new CliSession();

    @TempDir
    Path dir;

    private static final String BASE = """
            services:
              db:
                image: postgres:16
                healthcheck:
                  test: ["CMD", "pg_isready"]
              api:
                image: shop/api:1
                profiles: [web]
                depends_on:
                  db:
                    condition: service_healthy
            """;

    @Test
    void severalFilesMergeInOrderAsDockerComposeDoes() throws Exception {
        Path base = Files.writeString(dir.resolve("compose.yaml"), BASE);
        Path more = Files.writeString(dir.resolve("more.yaml"), """
                services:
                  worker:
                    image: shop/worker:1
                    depends_on: [db]
                """);
        assertThat(cli.run("plan", "-f", base.toString(), "-f", more.toString(), "--format", "mermaid"))
                .as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("db -->|started| worker").doesNotContain("api");
        assertThat(cli.run("plan", "-f", base.toString(), "-f", more.toString(), "--profile", "web",
                "--format", "mermaid")).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("db -->|healthy| api");
    }

    @Test
    void withoutFileTheProjectIsFoundWithItsOverrideAndItsEnvChoosesTheProfiles() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), BASE);
        Files.writeString(dir.resolve("compose.override.yaml"), """
                services:
                  db:
                    ports: ["127.0.0.1:5432:5432"]
                """);
        Files.writeString(dir.resolve(".env"), "COMPOSE_PROFILES=web\nCOMPOSE_PROJECT_NAME=from-env\n");
        assertThat(cli.run("plan", "--project-directory", dir.toString(), "--format", "json")).as(cli.err())
                .isEqualTo(0);
        assertThat(cli.err()).contains("ordo: using compose.yaml, compose.override.yaml");
        assertThat(cli.out()).contains("\"from-env\"").contains("\"api\"");
        assertThat(cli.run("plan", "--project-directory", dir.toString(), "-p", "other", "--format", "json"))
                .isEqualTo(0);
        assertThat(cli.out()).contains("\"other\"");
    }

    @Test
    void aTargetInAProfileEnablesItsProfileAsComposeDoes() throws Exception {
        Path base = Files.writeString(dir.resolve("compose.yaml"), BASE);
        assertThat(cli.run("plan", "-f", base.toString(), "--target", "api", "--format", "mermaid")).as(cli.err())
                .isEqualTo(0);
        assertThat(cli.out()).contains("db -->|healthy| api");
    }

    @Test
    void everyInputProblemSaysWhereItStandsAndExitsWithTwo() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "services:\n  db:\n    image: [postgres\n");
        assertThat(cli.run("plan", "-f", broken.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("broken.yaml:4:1");
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), """
                services:
                  api:
                    image: shop/api:1
                    depends_on: [dbb]
                  db:
                    image: postgres:16
                """);
        assertThat(cli.run("up", "-f", unknown.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("unknown.yaml:4:5: service 'api': depends_on: 'dbb' is not a service of this"
                + " project; did you mean 'db'?");
        Path clash = Files.writeString(dir.resolve("clash.yaml"), """
                services:
                  a:
                    image: x:1
                    ports: ["8080:80"]
                  b:
                    image: x:1
                    ports: ["8080:80"]
                """);
        assertThat(cli.run("plan", "-f", clash.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("clash.yaml:5:3: service 'b' publishes host port 8080, which 'a' publishes too");
    }
}
