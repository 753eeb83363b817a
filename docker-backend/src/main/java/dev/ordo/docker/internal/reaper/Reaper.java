package dev.ordo.docker.internal.reaper;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.ordo.docker.internal.containers.SecretFiles;
import dev.ordo.docker.internal.engine.EngineClients;
import dev.ordo.spi.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reaper process: removes what a dead Ordo session created. Ordo starts it beside the JVM (see
 * {@link ReaperProcess}) with a pipe to its standard input. When the JVM says {@link #RELEASE} and closes the pipe,
 * the session ended on purpose and what it left running stays; when the pipe closes without it (the JVM was killed,
 * crashed, or exited without closing its backend), every container, network and volume labelled with the session is
 * removed, containers first.
 *
 * <p>Why a process and not a container (as Testcontainers' Ryuk): no image is needed, not even the stand-in's;
 * the engine's socket is never mounted into a container; and it reaches a remote engine as the JVM did. It is
 * detached from the JVM's process group, so a Ctrl-C meant for the JVM does not stop it.
 *
 * <pre>{@code
 * java -cp ordo-docker.jar:... dev.ordo.docker.internal.reaper.Reaper unix:///var/run/docker.sock 3f2a... [certPath]
 * }</pre>
 */
public final class Reaper {
    /** What the JVM writes before closing the pipe when its session ends on purpose. */
    static final String RELEASE = "release";

    private Reaper() {
    }

    /** Waits for the JVM's pipe to close; reaps unless it said {@link #RELEASE}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Reaper DOCKER_HOST SESSION [CERT_PATH]");
            System.exit(2);
        }
        String said = readUntilClosed(System.in);
        if (said.contains(RELEASE)) {
            return;
        }
        long t0 = System.nanoTime();
        int removed = reap(args[0], args[1], args.length > 2 ? args[2] : null);
        System.err.printf("ordo reaper: session %s ended without releasing; removed %d resources in %d ms%n",
                args[1], removed, Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        return new String(all, StandardCharsets.UTF_8);
    }

    /** Removes every container, network and volume labelled with {@code session}; returns how many. */
    static int reap(String host, String session, String certPath) {
        var config = EngineClients.config(URI.create(host), Optional.ofNullable(certPath).map(Path::of));
        String label = Labels.SESSION + "=" + session;
        int removed = 0;
        try (DockerClient client = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).build())) {
            // a container created just before the JVM died may show up a moment later: look twice
            Set<String> deployments = new TreeSet<>();
            for (int pass = 0; pass < 2; pass++) {
                List<Container> cs = client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label))
                        .exec();
                for (Container c : cs) {
                    if (c.getLabels() != null && c.getLabels().get(Labels.DEPLOYMENT) != null) {
                        deployments.add(c.getLabels().get(Labels.DEPLOYMENT));
                    }
                    removed += quietly(() -> client.removeContainerCmd(c.getId()).withForce(true)
                            .withRemoveVolumes(true).exec());
                }
            }
            for (var n : client.listNetworksCmd().withFilter("label", List.of(label)).exec()) {
                removed += quietly(() -> client.removeNetworkCmd(n.getId()).exec());
            }
            if (host.startsWith("unix:")) {
                deployments.forEach(SecretFiles::release); // their secret files, kept in memory on this machine
            }
            var volumes = client.listVolumesCmd().withFilter("label", List.of(label)).exec().getVolumes();
            if (volumes != null) {
                for (var v : volumes) {
                    removed += quietly(() -> client.removeVolumeCmd(v.getName()).exec());
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("ordo reaper: could not reach " + host + ": " + e);
        }
        return removed;
    }

    private static int quietly(Runnable r) {
        try {
            r.run();
            return 1;
        } catch (RuntimeException e) {
            return 0; // gone already, or still in use by another session's container
        }
    }
}
