package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's {@code supervise} on the real engine with stand-ins and schedules rehearsed at a few seconds: both
 * living examples, in-process for a set time, and the packaged runner stopped by SIGTERM as a service manager would.
 */
class SuperviseDockerIT {
    private final CliSession cli = new CliSession();

    @TempDir
    Path state;

    @BeforeEach
    void needsDocker() {
        boolean reachable = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!reachable && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no Docker engine here; run scripts/ensure-docker.sh as root, then mvn verify");
        }
    }

    @AfterEach
    void down() {
        for (String example : List.of("orchestration-layer", "manticore", "clp")) {
            cli.run("down", "-v", "--example", example, "--backend", "docker", "--stand-ins");
        }
    }

    @Test
    void theOrchestrationLayerSupervisedOnDockerRunsItsPipelines() {
        assertThat(cli.run("supervise", "--example", "orchestration-layer", "--backend", "docker", "--stand-ins",
                "--every", "3s", "--for", "8s", "--state-dir", state.toString())).as(cli.out() + cli.err())
                .isEqualTo(0);
        assertThat(cli.out()).contains("up of 'orchestration-layer' on docker (stand-ins): succeeded")
                .containsPattern("run succeeded +initial-load").containsPattern("run succeeded +daily")
                .doesNotContain("run failed");
        assertThat(cli.run("history", "--example", "orchestration-layer", "--state-dir", state.toString()))
                .isEqualTo(0);
        assertThat(cli.out()).containsPattern("initial-load +r\\d+ +at start +succeeded")
                .containsPattern("daily +r\\d+ +interval +succeeded");
    }

    @Test
    void thePackagedRunnerStopsCleanlyOnSigterm() throws IOException, InterruptedException {
        Path jar = Path.of("target", "ordo.jar");
        assertThat(jar).as("the runner jar, built by the package phase").exists();
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "supervise", "--example", "manticore",
                "--backend", "docker", "--stand-ins", "--every", "2s", "--state-dir", state.toString())
                .redirectErrorStream(true).start();
        String out = sigtermWhen(p, line -> line.contains("run succeeded"));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("ordo: warning: BACKUP_SCHEDULES entry 4")
                .contains("stopping: no more fires; waiting for runs in flight");
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(143);
        assertThat(cli.run("status", "--example", "manticore", "--backend", "docker", "--stand-ins")).isEqualTo(0);
        assertThat(cli.out()).containsPattern("manticore\\s+(healthy|running)")
                .containsPattern("orchestrator-api\\s+(healthy|running)");
        assertThat(cli.run("history", "--example", "manticore", "--state-dir", state.toString())).isEqualTo(0);
        assertThat(cli.out()).containsPattern("backup-\\S+ +r\\d+ +interval +succeeded");
    }

    @Test
    void sigtermDuringUpEndsItUnderItsFailurePolicyAndTearDownRemovesWhatItStarted()
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "ordo.jar");
        // database never gets healthy: the up would wait for it; redis starts meanwhile
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "up", "--example", "clp", "--type", "base",
                "--backend", "docker", "--stand-ins", "--fail", "database", "--failure-policy", "TEAR_DOWN")
                .redirectErrorStream(true).start();
        String out = sigtermWhen(p, line -> line.contains("redis") && line.contains("healthy"));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(143);
        assertThat(out).contains("was interrupted (SIGTERM or Ctrl-C) and removed what it had started");
        assertThat(cli.run("status", "--example", "clp", "--backend", "docker", "--stand-ins")).isEqualTo(0);
        assertThat(cli.out()).contains("nothing of 'clp' exists");
    }

    /**
     * Reads {@code p}'s output to its end, sending it SIGTERM at the first line {@code when} accepts (the stream
     * stays open to read the rest); returns all of it.
     */
    private static String sigtermWhen(Process p, java.util.function.Predicate<String> when) throws IOException {
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (when.test(line)) {
                    p.toHandle().destroy(); // SIGTERM
                }
            }
        }
        return out.toString();
    }
}
