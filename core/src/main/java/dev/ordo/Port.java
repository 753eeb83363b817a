package dev.ordo;

import java.util.Locale;
import java.util.Objects;

/**
 * A port a container listens on, optionally published on the host, on every address or on one.
 *
 * <pre>{@code
 * Port.of(4000)                                   // reachable by other nodes at webui:4000
 * Port.published(8080, 80)                        // also published on host port 8080, every address
 * Port.published(5432, 5432).onHostIp("127.0.0.1") // published on loopback only, as 127.0.0.1:5432:5432
 * }</pre>
 *
 * @param container the container port, 1..65535
 * @param host      the host port, 1..65535, or 0 when not published
 * @param protocol  {@code tcp} or {@code udp}
 * @param hostIp    the host address it is published on: an IPv4 or IPv6 literal (without brackets), or empty for
 *                  every address
 */
public record Port(int container, int host, String protocol, String hostIp) {
    public Port {
        Objects.requireNonNull(protocol, "protocol == null");
        Objects.requireNonNull(hostIp, "hostIp == null");
        protocol = protocol.toLowerCase(Locale.ROOT);
        // "[::1]" is how Compose writes it; the address is the same without the brackets
        if (hostIp.length() > 1 && hostIp.startsWith("[") && hostIp.endsWith("]")) {
            hostIp = hostIp.substring(1, hostIp.length() - 1);
        }
    }

    /** A port published on every host address (or not published when {@code host} is 0). */
    public Port(int container, int host, String protocol) {
        this(container, host, protocol, "");
    }

    /** A TCP port reachable from other nodes, not published on the host. */
    public static Port of(int container) {
        return new Port(container, 0, "tcp");
    }

    /** A TCP port published on the given host port. */
    public static Port published(int host, int container) {
        return new Port(container, host, "tcp");
    }

    /** This port, published on host address {@code ip} only (an IPv4 or IPv6 literal). */
    public Port onHostIp(String ip) {
        return new Port(container, host, protocol, ip);
    }

    /** Whether the port is published on the host. */
    public boolean isPublished() {
        return host != 0;
    }

    /** Whether it is published on every host address rather than one. */
    public boolean onEveryAddress() {
        return hostIp.isEmpty();
    }
}
