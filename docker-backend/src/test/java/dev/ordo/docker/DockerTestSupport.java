package dev.ordo.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.ordo.docker.internal.DockerRuntime;
import dev.ordo.docker.internal.images.StandInImage;
import dev.ordo.spi.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Docker ITs share: reaching the engine (failing under CI=true, skipping with instructions otherwise), the
 * busybox test image, unique deployment names, and an independent view of the engine (its own docker-java client
 * and the docker CLI) to check what the backend did.
 */
final class DockerTestSupport {
    static final String IMAGE = StandInImage.REFERENCE;
    /** A script that idles until it is stopped, and ends at once on SIGTERM, as process 1 must handle it itself. */
    static final String IDLE = "trap 'exit 0' TERM; sleep 100000 & wait $!";
    private static DockerClient client;

    private DockerTestSupport() {
    }

    /** A backend on the local engine with the test image present, or a failure (CI) / skip (locally). */
    static DockerBackend backend() {
        DockerBackend backend = DockerBackend.local();
        try {
            backend.engineVersion();
        } catch (RuntimeException e) {
            backend.close();
            String msg = "no Docker engine answers (" + e.getMessage() + "); run `sudo scripts/ensure-docker.sh` "
                    + "then `mvn -pl docker-backend verify`";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires a Docker engine for the Docker ITs: " + msg);
            }
            Assumptions.abort(msg);
        }
        try (DockerRuntime runtime = DockerRuntime.connect(backend.host())) {
            runtime.ensureStandInImage();
        }
        return backend;
    }

    static synchronized DockerClient client() {
        if (client == null) {
            String host = System.getenv("DOCKER_HOST");
            client = client(URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host));
        }
        return client;
    }

    /** A client of the engine at {@code host} (an extra engine); the caller closes it. */
    static DockerClient client(URI host) {
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString()).build();
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).build());
    }

    /** A deployment name no other test uses. */
    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Every container (any state) labelled with the deployment. */
    static List<Container> containers(String deployment) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.DEPLOYMENT + "=" + deployment)).exec();
    }

    /** What the engine says of the first replica of {@code node} of {@code deployment}. */
    static InspectContainerResponse inspect(String deployment, String node) {
        String id = containers(deployment).stream().filter(c -> node.equals(c.getLabels().get(Labels.NODE)))
                .filter(c -> "1".equals(c.getLabels().get(Labels.REPLICA))).findFirst()
                .orElseThrow(() -> new AssertionError("no container of node '" + node + "' of " + deployment))
                .getId();
        return client().inspectContainerCmd(id).exec();
    }

    static int networks(String deployment) {
        return client().listNetworksCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + deployment))
                .exec().size();
    }

    /** Whether the engine has a volume named {@code volume}, whoever made it. */
    static boolean volumeExists(String volume) {
        try {
            client().inspectVolumeCmd(volume).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException absent) {
            return false;
        }
    }

    static int volumes(String deployment) {
        var v = client().listVolumesCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + deployment))
                .exec().getVolumes();
        return v == null ? 0 : v.size();
    }

    /** Removes whatever a test left of a deployment, so a failing test does not leak into the next. */
    static void purge(String deployment) {
        for (Container c : containers(deployment)) {
            try {
                client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        // the secret copies of the containers removed here, behind Ordo's back: Ordo sweeps them at the
        // deployment's next up or down, which a finished test never runs
        Path secrets = Path.of("/dev/shm/ordo-secrets", deployment);
        if (Files.isDirectory(secrets)) {
            try (var walk = Files.walk(secrets)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException ignored) {
                // best effort
            }
        }
        client().listNetworksCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + deployment)).exec()
                .forEach(n -> {
                    try {
                        client().removeNetworkCmd(n.getId()).exec();
                    } catch (RuntimeException ignored) {
                        // best effort
                    }
                });
        var vs = client().listVolumesCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + deployment))
                .exec().getVolumes();
        if (vs != null) {
            vs.forEach(v -> {
                try {
                    client().removeVolumeCmd(v.getName()).exec();
                } catch (RuntimeException ignored) {
                    // best effort
                }
            });
        }
    }

    /** Runs the docker CLI for a clean-up that may find nothing to do; its result does not matter. */
    static void quietly(String... args) {
        run(args);
    }

    /** Runs the docker CLI and returns its standard output; fails the test when it exits non-zero. */
    static String docker(String... args) {
        Ran r = run(args);
        if (r.code() != 0) {
            fail("docker " + String.join(" ", args) + " failed: " + r.output());
        }
        return r.output();
    }

    private record Ran(int code, String output) {
    }

    private static Ran run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(cmd + " did not end within 60 s: " + out);
            }
            return new Ran(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run the docker CLI (" + e + "); install docker.io", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
