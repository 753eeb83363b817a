package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner's rehearsal on the real engine: the CLP example up and down with stand-ins, through the command line. */
class OrdoCliDockerIT {
    private final CliSession cli = new CliSession();

    @BeforeEach
    void needsDocker() {
        boolean reachable = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!reachable && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no Docker engine here; run scripts/ensure-docker.sh as root, then mvn verify");
        }
    }

    @AfterEach
    void cleanUp() {
        cli.run("down", "-v", "--backend", "docker", "--stand-ins");
    }

    @Test
    void theClpExampleComesUpAndGoesDownWithStandIns() {
        assertThat(cli.run("up", "--backend", "docker", "--stand-ins", "--type", "full"))
                .as("up output:%n%s%s", cli.out(), cli.err()).isEqualTo(0);
        // which chain ends up critical depends on the engine's real start times, so only its presence is checked
        assertThat(cli.out()).contains("up of 'clp' on docker (stand-ins): succeeded", "critical path: ");

        assertThat(cli.run("status", "--backend", "docker", "--stand-ins")).isEqualTo(0);
        assertThat(cli.out()).containsPattern("webui\\s+healthy").containsPattern("reducer\\s+running")
                .containsPattern("db-table-creator\\s+exited");

        assertThat(cli.run("down", "-v", "--backend", "docker", "--stand-ins"))
                .as("down output:%n%s%s", cli.out(), cli.err()).isEqualTo(0);
        assertThat(cli.out()).contains("down of 'clp' on docker (stand-ins): succeeded");

        assertThat(cli.run("status", "--backend", "docker", "--stand-ins")).isEqualTo(0);
        assertThat(cli.out()).contains("nothing of 'clp' exists on docker");
    }

    @Test
    void aJobThatFailsOnDockerStopsItsDependentsAndTheRunnerSaysWhy() {
        assertThat(cli.run("up", "--backend", "docker", "--stand-ins", "--type", "base", "--fail", "db-table-creator"))
                .isEqualTo(1);
        assertThat(cli.out()).contains("up of 'clp' on docker (stand-ins): FAILED", "job 'db-table-creator' exited with code 1")
                .containsPattern("webui\\s+service\\s+skipped");
    }
}
