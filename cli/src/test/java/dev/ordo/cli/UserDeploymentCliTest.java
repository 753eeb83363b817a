package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner on the user's own deployment: a compose file, a Java source file, a provider class on a class path. */
class UserDeploymentCliTest {
    private final CliSession cli = new CliSession();

    @TempDir
    Path dir;

    static final String COMPOSE = """
            name: shop
            services:
              db:
                image: postgres:16
                healthcheck:
                  test: ["CMD", "pg_isready"]
                  interval: 1s
                cap_add: [NET_ADMIN]
              migrate:
                image: shop/migrate:1
                depends_on:
                  db:
                    condition: service_healthy
              api:
                image: shop/api:1
                depends_on:
                  migrate:
                    condition: service_completed_successfully
            """;

    static final String JAVA = """
            package com.example;

            import dev.ordo.Condition;
            import dev.ordo.Deployment;
            import dev.ordo.DeploymentProvider;

            public class Shop implements DeploymentProvider {
                public Deployment deployment() {
                    return Deployment.builder("java-shop")
                            .service("db", s -> s.image("postgres:16"))
                            .job("migrate", j -> j.image("shop/migrate:1").dependsOn("db", Condition.STARTED))
                            .build();
                }
            }
            """;

    @Test
    void aComposeFileIsPlannedAndBroughtUpWithItsWarningsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
        assertThat(cli.run("plan", "-f", file.toString())).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("db", "migrate", "api");
        assertThat(cli.err()).contains("ordo: warning: docker-compose.yml:8:5: service 'db': 'cap_add' is not supported by Ordo");
        assertThat(cli.run("up", "-f", file.toString(), "--progress", "plain")).as(cli.out() + cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("up of 'shop' on simulated: succeeded");
    }

    @Test
    void aJavaSourceFileIsCompiledAgainstOrdoAndItsDeploymentUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("Shop.java"), JAVA);
        assertThat(cli.run("up", "-f", file.toString(), "--progress", "plain")).as(cli.out() + cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("up of 'java-shop' on simulated: succeeded");
        Files.writeString(file, JAVA.replace("Condition.STARTED", "Condition.STARTD"));
        assertThat(cli.run("plan", "-f", file.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("Shop.java does not compile", "STARTD");
    }

    @Test
    void aProviderClassOnAClassPathIsLoaded() throws Exception {
        Path src = Files.writeString(Files.createDirectories(dir.resolve("src")).resolve("Shop.java"), JAVA);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), src.toString());
        assertThat(rc).isZero();
        assertThat(cli.run("plan", "--class", "com.example.Shop", "--classpath", classes.toString()))
                .as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("db", "migrate");
        assertThat(cli.run("plan", "--class", "com.example.Nope", "--classpath", classes.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--class: com.example.Nope is not on the class path");
        assertThat(cli.run("plan", "--class", "java.lang.String")).isEqualTo(2);
        assertThat(cli.err()).contains("does not implement dev.ordo.DeploymentProvider");
    }

    @Test
    void badChoicesAreUsageErrorsNamingTheOption() throws Exception {
        assertThat(cli.run("plan", "-f", dir.resolve("missing.yml").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("-f: ", "missing.yml does not exist");
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
        assertThat(cli.run("plan", "-f", file.toString(), "--example", "clp")).isEqualTo(2);
        assertThat(cli.err()).contains("give one of --example, -f/--file and --class");
        assertThat(cli.run("up", "-f", file.toString(), "--progress", "fancy")).isEqualTo(2);
        assertThat(cli.err()).contains("--progress: 'fancy' is not one of auto, tty, plain");
    }

    @Test
    void onATerminalEachNodeIsOneLineUpdatedInPlaceWithItsStateAndTime() throws Exception {
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
        assertThat(cli.run("up", "-f", file.toString(), "--progress", "tty")).as(cli.err()).isEqualTo(0);
        String out = cli.out();
        assertThat(out).contains("\u001b[1A\u001b[2K")                       // lines redrawn in place
                .contains("\u001b[32mapi                            started")  // green, with its state
                .containsPattern("\u001b\\[32mmigrate\\s+completed\\s+\\d+\\.\\ds");
        List<String> plain = cli.run("up", "-f", file.toString(), "--progress", "plain") == 0
                ? cli.out().lines().toList() : List.of();
        assertThat(plain).noneMatch(l -> l.contains("\u001b["));
        assertThat(plain).anyMatch(l -> l.matches("\\[\\s*\\d+\\.\\d+s\\] migrate\\s+completed.*"));
    }

    @Test
    void profiledNodesOfYourDeploymentStartOnlyWhenAskedForAsInCompose() throws Exception {
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE + """
                  debug:
                    image: busybox:1
                    profiles: [debug]
                """);
        assertThat(cli.run("plan", "-f", file.toString(), "--format", "json")).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("\"api\"").doesNotContain("\"debug\"");
        assertThat(cli.run("plan", "-f", file.toString(), "--format", "json", "--profile", "debug")).isEqualTo(0);
        assertThat(cli.out()).contains("\"debug\"");
        assertThat(cli.run("plan", "-f", file.toString(), "--type", "full")).isEqualTo(2);
        assertThat(cli.err()).contains("a compose project has none: activate profiles with --profile");
    }

    @Test
    void psIsStatus() throws Exception {
        Path file = Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE);
        assertThat(cli.run("ps", "-f", file.toString())).isEqualTo(0);
        assertThat(cli.out()).contains("nothing of 'shop' exists on simulated");
    }
}
