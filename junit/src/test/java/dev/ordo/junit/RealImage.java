package dev.ordo.junit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real server image built by scripts/real-images.sh: present, or the test fails in CI (which builds the images
 * first) and is skipped elsewhere, both naming the script.
 */
final class RealImage {
    private RealImage() {
    }

    static void require(String image) {
        boolean present;
        try {
            Process p = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present) {
            String msg = "image " + image + " is not on the engine; build it with scripts/real-images.sh (as root)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }
}
