package dev.ordo;

import java.util.Locale;
import java.util.Objects;

/**
 * A port a container listens on, optionally published on the host.
 *
 * <pre>{@code
 * Port.of(4000)            // reachable by other nodes at webui:4000
 * Port.published(8080, 80) // also published on host port 8080
 * }</pre>
 *
 * @param container the container port, 1..65535
 * @param host      the host port, 1..65535, or 0 when not published
 * @param protocol  {@code tcp} or {@code udp}
 */
public record Port(int container, int host, String protocol) {
    public Port {
        Objects.requireNonNull(protocol, "protocol == null");
        protocol = protocol.toLowerCase(Locale.ROOT);
    }

    /** A TCP port reachable from other nodes, not published on the host. */
    public static Port of(int container) {
        return new Port(container, 0, "tcp");
    }

    /** A TCP port published on the given host port. */
    public static Port published(int host, int container) {
        return new Port(container, host, "tcp");
    }

    /** Whether the port is published on the host. */
    public boolean isPublished() {
        return host != 0;
    }
}
