package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.ordo.OrdoException;
import dev.ordo.Resources;
import dev.ordo.Security;
import dev.ordo.docker.internal.engine.EngineErrors;
import java.util.List;
import java.util.Optional;

/**
 * A node's resources and security context on Docker: CPU limit as {@code --cpus}, CPU request as
 * {@code --cpu-shares} (1024 per core, at least Docker's 2), memory limit and request as {@code --memory} and
 * {@code --memory-reservation}; user and group as {@code --user uid[:gid]} (or the names, {@code --user redis:redis}),
 * {@code --read-only}. Non-root is checked as the kubelet checks it, so that a node refused on Kubernetes is refused
 * here too, for the same reason.
 *
 * <pre>{@code
 * ProcessSettings.security(client, node, image, container.security(), cmd, hostConfig);
 * }</pre>
 */
final class ProcessSettings {
    private ProcessSettings() {
    }

    static void resources(Resources r, HostConfig host) {
        r.cpuLimitMillis().ifPresent(m -> host.withNanoCPUs(m * 1_000_000L));
        r.cpuRequestMillis().ifPresent(m -> host.withCpuShares((int) Math.max(2, Math.min(262_144, m * 1024 / 1000))));
        r.memoryLimitBytes().ifPresent(host::withMemory);
        r.memoryRequestBytes().ifPresent(host::withMemoryReservation);
    }

    /**
     * Sets the user and read-only root of {@code cmd}, or throws naming the node when it must not run as root and
     * would (the kubelet's rule: an explicit user 0, or no user and an image whose user is root or a name), or when
     * a user name, which only the image's {@code /etc/passwd} resolves, leaves that unknown.
     */
    static void security(DockerClient client, String node, String image, Security s, CreateContainerCmd cmd,
                         HostConfig host) {
        if (s.readOnlyRootFilesystem()) {
            host.withReadonlyRootfs(true);
        }
        if (s.hardened()) {
            // Docker's default seccomp profile applies already (unless an engine runs unconfined)
            host.withSecurityOpts(List.of("no-new-privileges")).withCapDrop(Capability.ALL);
        }
        if (!s.userName().isEmpty()) {
            // core refused root (by name or 0) for a non-root node; a name the image resolves is all that is left
            if (s.runAsNonRoot() && s.numericUser().isEmpty()) {
                String user = s.userName().split(":", 2)[0];
                throw new OrdoException("node '" + node + "' must not run as root, and runs as user '" + user + "', a"
                        + " name no one can check before it runs (the kubelet refuses it too); give the node a"
                        + " numeric user, e.g. .security(Security.none().user(1000).nonRoot())");
            }
            cmd.withUser(s.dockerUser());
            return;
        }
        if (s.runAsUser().isEmpty() && s.runAsGroup().isEmpty() && !s.runAsNonRoot()) {
            return;
        }
        String user = s.runAsUser().isPresent() ? Long.toString(s.runAsUser().getAsLong()) : null;
        if (user == null) {
            String imageUser = imageUser(client, node, image).orElse("");
            user = imageUser.contains(":") ? imageUser.substring(0, imageUser.indexOf(':')) : imageUser;
            if (s.runAsNonRoot()) {
                if (user.isEmpty() || user.equals("0") || user.equals("root")) {
                    throw new OrdoException("node '" + node + "' must not run as root, but image '" + image
                            + "' runs as root; give the node a user, e.g. .security(Security.none().user(1000)"
                            + ".nonRoot())");
                }
                if (!user.chars().allMatch(Character::isDigit)) {
                    throw new OrdoException("node '" + node + "' must not run as root, but image '" + image
                            + "' runs as user '" + user + "', a name no one can check before it runs (the kubelet"
                            + " refuses it too); give the node a numeric user, e.g. .security(Security.none()"
                            + ".user(1000).nonRoot())");
                }
            }
        }
        String spec = user.isEmpty() ? "0" : user;
        if (s.runAsGroup().isPresent()) {
            spec += ":" + s.runAsGroup().getAsLong();
        }
        cmd.withUser(spec);
    }

    private static Optional<String> imageUser(DockerClient client, String node, String image) {
        try {
            var config = client.inspectImageCmd(image).exec().getConfig();
            return Optional.ofNullable(config == null ? null : config.getUser()).filter(u -> !u.isBlank());
        } catch (DockerException e) {
            throw new OrdoException("node '" + node + "': could not read the user of image '" + image + "' ("
                    + EngineErrors.describe(e) + "); load the image, or give the node a user id", e);
        }
    }
}
