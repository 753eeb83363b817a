package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cleanup that survives the JVM: a rehearsal's JVM killed with SIGKILL mid-up leaves nothing labelled behind once
 * its reaper has run, and a JVM that closes its backend on purpose leaves what it brought up running.
 */
class ReaperIT {
    private String name;

    @BeforeEach
    void engine() {
        DockerTestSupport.backend().close();
        name = DockerTestSupport.uniqueName("reap");
    }

    @AfterEach
    void purge() {
        DockerTestSupport.purge(name);
    }

    private Process victim(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ReaperVictim.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static void awaitLine(Process p, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return;
            }
        }
        throw new AssertionError("the victim JVM ended before printing '" + prefix + "':\n" + seen);
    }

    private int labelled() {
        return DockerTestSupport.containers(name).size() + DockerTestSupport.networks(name)
                + DockerTestSupport.volumes(name);
    }

    @Test
    @Timeout(180)
    void aJvmKilledMidUpLeavesNothingLabelledOnceItsReaperRan() throws Exception {
        Process p = victim(name);
        awaitLine(p, "STARTED");
        assertThat(labelled()).as("the up created resources").isPositive();
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        long killed = System.nanoTime();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // wait for the condition, not for a time: poll until nothing labelled is left (the test's timeout bounds it)
        while (labelled() > 0) {
            Thread.sleep(100);
        }
        // a figure for the README and the closing note, not an assertion
        System.out.printf("reaper: nothing labelled left %d ms after the JVM was killed%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.networks(name)).isZero();
        assertThat(DockerTestSupport.volumes(name)).isZero();
    }

    @Test
    @Timeout(180)
    void aJvmThatClosesItsBackendLeavesWhatItBroughtUpRunning() throws Exception {
        Process p = victim(name, "close");
        awaitLine(p, "CLOSED");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the reaper was released before CLOSED was printed, and exits without reaping
        assertThat(DockerTestSupport.containers(name)).hasSize(3)
                .allSatisfy(c -> assertThat(c.getState()).isEqualTo("running"));
        try (DockerBackend docker = DockerBackend.local().withoutReaper()) {
            Orchestrator.using(docker).down(Deployment.builder(name).build(), DownOptions.defaults()
                    .removeVolumes(true));
        }
    }
}
