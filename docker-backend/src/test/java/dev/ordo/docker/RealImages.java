package dev.ordo.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real server images {@code scripts/real-images.sh} builds from Debian's packages ({@code ordo-real/postgres:15},
 * {@code ordo-real/mariadb:10.11}, {@code ordo-real/redis:7}, {@code ordo-real/rabbitmq:3.10}): present on the local
 * engine, or the test fails under CI=true (CI builds them first) and is skipped elsewhere, naming the command that
 * builds them.
 *
 * <pre>{@code
 * RealImages.require(RealImages.POSTGRES);
 * RealImages.loadInto(URI.create("unix:///run/my-engine/docker.sock"), RealImages.POSTGRES);
 * }</pre>
 */
final class RealImages {
    /** Debian's postgresql-15, with the official image's environment contract. */
    static final String POSTGRES = "ordo-real/postgres:15";

    private RealImages() {
    }

    /** Fails (CI=true) or skips (elsewhere) unless the local engine has {@code image}; returns its id. */
    static String require(String image) {
        DockerTestSupport.backend().close(); // an engine answers, or the test fails or skips with the fix
        try {
            return DockerTestSupport.client().inspectImageCmd(image).exec().getId();
        } catch (NotFoundException absent) {
            String name = image.substring(image.indexOf('/') + 1, image.indexOf(':'));
            String msg = "the real server image " + image + " is not on the local Docker engine; build it (as root)"
                    + " with `scripts/real-images.sh " + name + "`, which makes it from Debian's packages";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires the real server images (CI runs scripts/real-images.sh first): " + msg);
            }
            Assumptions.abort(msg);
            throw new AssertionError("unreachable");
        }
    }

    /**
     * Copies {@code image} from the local engine into the engine at {@code engine} ({@code docker save | docker
     * load}) unless that engine has the same image id already.
     */
    static void loadInto(URI engine, String image) {
        String id = require(image);
        String there = run(List.of("docker", "-H", engine.toString(), "image", "inspect", "--format", "{{.Id}}",
                image), 30).strip();
        if (there.equals(id)) {
            return;
        }
        String out = run(List.of("bash", "-o", "pipefail", "-c", "docker save \"$0\" | docker -H \"$1\" load",
                image, engine.toString()), 300);
        if (!out.contains("Loaded image")) {
            fail("loading " + image + " into the Docker engine at " + engine + " failed: " + out);
        }
    }

    /** Runs {@code cmd}; its output (stdout and stderr), whatever its exit code. */
    private static String run(List<String> cmd, int seconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(cmd + " did not end within " + seconds + " s: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + " (" + e + "); install docker.io", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
