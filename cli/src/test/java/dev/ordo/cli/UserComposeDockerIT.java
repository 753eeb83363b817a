package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.docker.DockerBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ordo up -f docker-compose.yml} on the real engine: up, ps, logs, down with a grace-period override. */
class UserComposeDockerIT {
    private final CliSession cli = new CliSession();
    private final String name = "ucmp-" + UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void compose() throws Exception {
        try (DockerBackend docker = DockerBackend.local()) {
            docker.ensureStandInImage();
        }
        // the stand-in image (busybox), as a user's own images would be; db ignores SIGTERM, as many programs do
        file = Files.writeString(dir.resolve("docker-compose.yml"), """
                name: %s
                services:
                  db:
                    image: ordo-stand-in:busybox
                    command: ["sh", "-c", "trap '' TERM; echo db ready; while true; do sleep 1; done"]
                    stop_grace_period: 60s
                    healthcheck:
                      test: ["CMD-SHELL", "true"]
                      interval: 1s
                  migrate:
                    image: ordo-stand-in:busybox
                    command: "sh -c 'echo migrating; echo migrated'"
                    depends_on:
                      db:
                        condition: service_healthy
                  api:
                    image: ordo-stand-in:busybox
                    command: ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
                    depends_on:
                      migrate:
                        condition: service_completed_successfully
                """.formatted(name));
    }

    @AfterEach
    void down() {
        cli.run("down", "-f", file.toString(), "--backend", "docker", "-v", "--grace-period", "0s");
    }

    @Test
    void upPsLogsAndDownOfAComposeFile() {
        assertThat(cli.run("up", "-f", file.toString(), "--backend", "docker", "--progress", "plain"))
                .as(cli.out() + cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("up of '" + name + "' on docker: succeeded");

        assertThat(cli.run("ps", "-f", file.toString(), "--backend", "docker")).isEqualTo(0);
        // db's own Docker health check (1 s) may not have run yet when ps asks, though Ordo's probe passed
        assertThat(cli.out()).containsPattern("db\\s+(healthy|running)").containsPattern("api\\s+running")
                .containsPattern("migrate\\s+exited");

        assertThat(cli.run("logs", "-f", file.toString(), "--backend", "docker", "migrate", "db")).isEqualTo(0);
        assertThat(cli.out()).contains("migrate | migrating", "migrate | migrated", "db      | db ready");
        assertThat(cli.run("logs", "-f", file.toString(), "--backend", "docker", "nosuch")).isEqualTo(2);
        assertThat(cli.err()).contains("NODE 'nosuch'", "(nodes: db, migrate, api)");

        // db ignores SIGTERM and has 60 s: the override kills it after 1 s
        assertThat(cli.run("down", "-f", file.toString(), "--backend", "docker", "-v", "--grace-period", "1s"))
                .as(cli.out() + cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("down of '" + name + "' on docker: succeeded");
        assertThat(cli.run("ps", "-f", file.toString(), "--backend", "docker")).isEqualTo(0);
        assertThat(cli.out()).contains("nothing of '" + name + "' exists on docker");
    }
}
