package dev.ordo.kubernetes;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Kubernetes tools the export tests run (helm, kubectl, the kubernetes-models validator), where
 * {@code scripts/ensure-k8s-tools.sh} put them: {@code $ORDO_K8S_TOOLS}, else {@code ~/.cache/ordo-k8s-tools}.
 * Missing tools fail the test under {@code CI=true} and skip it elsewhere.
 */
final class K8sTools {
    private K8sTools() {
    }

    /** The tools' directory ({@code bin/helm}, {@code bin/kubectl}, {@code node_modules}). */
    static Path locate() {
        String configured = System.getenv("ORDO_K8S_TOOLS");
        Path tools = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "ordo-k8s-tools");
        if (!Files.isExecutable(tools.resolve("bin/helm")) || !Files.isDirectory(tools.resolve("node_modules"))) {
            String msg = "helm, kubectl and kubernetes-models are not in " + tools
                    + "; run scripts/ensure-k8s-tools.sh (scripts/test.sh does)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires the Kubernetes export tools: " + msg);
            }
            Assumptions.abort(msg);
        }
        return tools;
    }

    /** What a command printed (stdout and stderr) and its exit code. */
    record Result(int exit, String output) {
    }

    /** Runs {@code cmd} with {@code env} added, for at most two minutes. */
    static Result run(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not end within 120 s; it said:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
