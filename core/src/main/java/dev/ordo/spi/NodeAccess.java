package dev.ordo.spi;

import dev.ordo.Deployment;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Backend} that runs real processes a user can reach: a published port's address, the output printed so far,
 * a command run inside. The simulated backend has none of it.
 *
 * <pre>{@code
 * List<String> lines = NodeAccess.of(backend, "db").logs(deployment, "db");
 * }</pre>
 */
public interface NodeAccess {
    /**
     * Where this process reaches container port {@code port} of {@code node}'s first replica, as {@code host:port}:
     * the port as published on the platform's host. Empty when the node does not publish that port.
     */
    Optional<String> address(Deployment deployment, String node, int port);

    /**
     * What {@code node}'s first replica printed so far, stdout and stderr in the order printed.
     *
     * @throws dev.ordo.OrdoException naming the node when it has no container
     */
    List<String> logs(Deployment deployment, String node);

    /**
     * Runs {@code argv} in {@code node}'s first running replica, waits for it, and returns its exit code and output.
     *
     * @throws dev.ordo.OrdoException naming the node when it has no running container
     */
    ExecResult exec(Deployment deployment, String node, List<String> argv);

    /**
     * {@code backend}'s access to nodes, about to be used on {@code node}.
     *
     * @throws UnsupportedOperationException naming the backend and the node when it runs no processes a user can
     *                                       reach
     */
    static NodeAccess of(Backend backend, String node) {
        if (backend instanceof NodeAccess a) {
            return a;
        }
        throw new UnsupportedOperationException("the " + backend.name() + " backend runs no process for node '" + node
                + "' to reach: addresses, logs and exec need a backend that runs containers where Ordo can reach"
                + " them (Docker)");
    }
}
