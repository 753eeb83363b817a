package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own help: what it is, the exit status, and the profiles of the deployment actually given. */
class HelpTest {
    private final CliSession cli = new CliSession();

    @TempDir
    Path dir;

    @Test
    void theHelpDescribesTheRunnerNotTheExamples() {
        assertThat(cli.run("--help")).isEqualTo(0);
        assertThat(cli.out()).contains("Usage: ordo", "Brings a multi-container system up and down in dependency"
                + " order", "your compose file", "DeploymentProvider", "one of Ordo's example systems")
                .doesNotContain("Brings Ordo's examples").contains("Exit status:", "2   bad usage");
        assertThat(cli.run("up", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("--example=NAME", "one of Ordo's example systems: clp,",
                "orchestration-layer, manticore, alphakraken",
                "1m30s", "Exit status:");
    }

    @Test
    void aComposeFilesHelpListsItsOwnProfilesNotClps() throws Exception {
        Path file = Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  web:
                    image: nginx:1
                    profiles: [front]
                  db:
                    image: postgres:16
                  debug:
                    image: busybox:1
                    profiles: [debug, tools]
                """);
        for (String command : new String[] {"up", "plan"}) {
            // help after the file as before it: picocli renders the help once it parsed the whole line
            assertThat(cli.run(command, "-f", file.toString(), "--help")).isEqualTo(0);
            assertThat(cli.out()).contains("Profiles of compose.yaml:", "  debug, front, tools",
                    "without --profile only the nodes without").doesNotContain("celery", "native-query");
            assertThat(cli.run(command, "--help", "-f", file.toString())).isEqualTo(0);
            assertThat(cli.out()).contains("Profiles of compose.yaml:");
        }
    }

    @Test
    void clpsProfilesAndTypesAreListedForTheClpExampleOnly() {
        assertThat(cli.run("plan", "--example", "clp", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("Profiles of the clp example:", "celery, mcp, native-query, spider",
                "deployment types (--type): base, full, spider-base, spider-full");
        assertThat(cli.run("plan", "--example", "alphakraken", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("Profiles of the alphakraken example:", "dbs, infrastructure, local, webapp")
                .doesNotContain("celery", "deployment types");
        assertThat(cli.run("demo", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("Profiles of the clp example:");
    }

    @Test
    void aJavaDeploymentsHelpListsItsProfilesAndABadFileSaysWhy() throws Exception {
        Path src = Files.writeString(dir.resolve("Shop.java"), """
                import dev.ordo.Deployment;
                import dev.ordo.DeploymentProvider;

                public class Shop implements DeploymentProvider {
                    public Deployment deployment() {
                        return Deployment.builder("shop").service("db", s -> s.image("postgres:16"))
                                .service("admin", s -> s.image("adminer:4").profiles("ops")).build();
                    }
                }
                """);
        assertThat(cli.run("up", "-f", src.toString(), "--help")).as(cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("Profiles of Shop.java:", "  ops");
        assertThat(cli.run("up", "-f", dir.resolve("missing.yml").toString(), "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("Profiles:", "(cannot read the deployment: -f: ", "missing.yml does not exist");
    }
}
