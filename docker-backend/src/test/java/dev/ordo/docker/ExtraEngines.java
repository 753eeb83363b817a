package dev.ordo.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The extra Docker engines scripts/engines.sh starts beside the main one (scripts/ensure-docker.sh starts two):
 * engine K answers on {@code unix:///run/ordo-engines/engine-K.sock}. Under CI=true a test that needs one fails when
 * it does not answer; elsewhere it is skipped with the command that starts them.
 */
final class ExtraEngines {
    private ExtraEngines() {
    }

    static URI uri(int k) {
        return URI.create("unix:///run/ordo-engines/engine-" + k + ".sock");
    }

    /** Engine {@code k}, answering; fails (CI) or skips (elsewhere) when it does not. */
    static URI require(int k) {
        try (DockerBackend b = DockerBackend.connect(uri(k))) {
            b.engineVersion();
        } catch (RuntimeException e) {
            String msg = "extra Docker engine " + k + " does not answer on " + uri(k) + " (" + e.getMessage()
                    + "); start it as root with `scripts/engines.sh start 2` (scripts/ensure-docker.sh does)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires the extra engines: " + msg);
            }
            Assumptions.abort(msg);
        }
        return uri(k);
    }

    /** Runs scripts/engines.sh with {@code args}; fails the test when it exits non-zero. */
    static String script(String... args) {
        Path script = Path.of("..", "scripts", "engines.sh");
        if (!Files.exists(script)) {
            script = Path.of("scripts", "engines.sh");
        }
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(cmd + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
