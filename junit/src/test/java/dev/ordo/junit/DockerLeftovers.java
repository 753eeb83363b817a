package dev.ordo.junit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the engine still holds of a deployment: containers, networks and volumes with its label, as the CLI lists them. */
final class DockerLeftovers {
    private DockerLeftovers() {
    }

    static List<String> of(String deployment) {
        List<String> left = new ArrayList<>();
        String label = "label=dev.ordo.deployment=" + deployment;
        for (List<String> cmd : List.of(List.of("docker", "ps", "-a", "-q", "--filter", label),
                List.of("docker", "network", "ls", "-q", "--filter", label),
                List.of("docker", "volume", "ls", "-q", "--filter", label))) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) {
                    throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
                }
                if (!out.isEmpty()) {
                    left.add(cmd.get(1) + ": " + out.replace('\n', ' '));
                }
            } catch (IOException e) {
                throw new AssertionError("cannot run the docker CLI", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return left;
    }
}
