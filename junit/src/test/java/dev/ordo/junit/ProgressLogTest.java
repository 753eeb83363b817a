package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An embedding application sees each node's state changes in its own logs: INFO lines on logger
 * {@code dev.ordo.progress}. Run in a child JVM, since a logging backend is configured once per JVM.
 */
class ProgressLogTest {
    @Test
    void everyStateChangeIsAnInfoLineNamingTheDeploymentTheNodeAndTheTime() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", ProgressLogVictim.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("true");
        assertThat(out).contains("INFO dev.ordo.progress - shop: node 'db' STARTING at 0s")
                .contains("shop: node 'db' HEALTHY at 2s")
                .contains("shop: node 'migrate' COMPLETED at 3s")
                .contains("shop: node 'api' STARTED at 3s");
    }
}
