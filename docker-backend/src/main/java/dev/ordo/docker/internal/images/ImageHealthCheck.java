package dev.ordo.docker.internal.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import java.util.List;

/**
 * The image's own health check ({@link HealthCheck#fromImage()}) as Ordo probes it: the image's {@code HEALTHCHECK}
 * test read from the engine ({@code ["CMD", argv...]} runs the argv, {@code ["CMD-SHELL", script]} runs the script
 * with {@code /bin/sh -c}) becomes a command check with the node's own interval, timeout, retries and start period,
 * probed as any command check is. The container keeps the image's check for Docker's own health status.
 *
 * <pre>{@code
 * HealthCheck check = ImageHealthCheck.resolve(client, "db", "postgres:16", node.container().healthCheck().get());
 * }</pre>
 */
final class ImageHealthCheck {
    private ImageHealthCheck() {
    }

    /**
     * {@code check} with an image-defined probe replaced by image {@code image}'s test as a command; any other check
     * as it is.
     *
     * @throws OrdoException naming the node, the image and the fix when the image declares no test
     */
    static HealthCheck resolve(DockerClient client, String node, String image, HealthCheck check) {
        if (!(check.probe() instanceof HealthCheck.ImageDefined)) {
            return check;
        }
        List<String> test;
        try {
            var config = client.inspectImageCmd(image).exec().getConfig();
            test = config == null || config.getHealthcheck() == null ? null : config.getHealthcheck().getTest();
        } catch (NotFoundException absent) {
            throw new OrdoException("node '" + node + "' uses the health check of image '" + image + "', which the"
                    + " engine does not have; load or build the image, or give the health check a test", absent);
        }
        List<String> argv = argv(test);
        if (argv.isEmpty()) {
            boolean none = test != null && !test.isEmpty() && "NONE".equals(test.get(0));
            throw new OrdoException("node '" + node + "' uses the health check of image '" + image + "', which "
                    + (none ? "turns its health check off (HEALTHCHECK NONE)" : "declares none (no HEALTHCHECK)")
                    + "; give the healthcheck a test, e.g. .healthCheck(HealthCheck.command(\"pg_isready\")), or"
                    + " add a HEALTHCHECK to the image");
        }
        return new HealthCheck(new HealthCheck.Command(argv), check.interval(), check.timeout(), check.retries(),
                check.startPeriod());
    }

    /** The argv Docker runs for health-check test {@code test}; empty when it runs none. */
    static List<String> argv(List<String> test) {
        if (test == null || test.size() < 2) {
            return List.of(); // [], ["NONE"], or a test without its command
        }
        return switch (test.get(0)) {
            case "CMD" -> List.copyOf(test.subList(1, test.size()));
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> List.of();
        };
    }
}
