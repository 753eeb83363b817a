package dev.ordo;

import dev.ordo.ValidationException.Problem;
import dev.ordo.internal.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Host ports two nodes would both publish. Two bindings clash when they share port and protocol and their
 * addresses overlap: the same address, or one of them every address ({@code 0.0.0.0} for IPv4, {@code ::} for
 * IPv6, none for both). Nodes that can never run together do not clash: {@code build()} checks the nodes every
 * plan enables (those without profiles), planning checks the nodes its selection enables, so two services in
 * profiles never active together may publish one port, as Compose allows.
 */
final class PortClashes {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private PortClashes() {
    }

    /** {@code ip} as an address when it is an IPv4 or IPv6 literal; {@code null} otherwise (never a DNS lookup). */
    static InetAddress address(String ip) {
        boolean v4 = IPV4.matcher(ip).matches();
        if (!v4 && !(ip.contains(":") && IPV6.matcher(ip).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(ip); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Clashes among the nodes that every plan enables: those without profiles. */
    static List<Problem> alwaysEnabled(List<Node> nodes) {
        return among(nodes.stream().filter(n -> n.profiles().isEmpty()).toList(), "");
    }

    /** Clashes among {@code enabled}, each message ending with {@code note}. */
    static List<Problem> among(List<Node> enabled, String note) {
        Map<String, List<Owner>> byPort = new HashMap<>();
        List<Problem> out = new ArrayList<>();
        for (Node n : enabled) {
            for (Port p : n.container().ports()) {
                if (!p.isPublished() || p.host() < 1 || p.host() > 65535) {
                    continue;
                }
                List<Owner> owners = byPort.computeIfAbsent(p.host() + "/" + p.protocol(), k -> new ArrayList<>());
                for (Owner o : owners) {
                    if (!o.node.equals(n.name()) && overlap(o.ip, p.hostIp())) {
                        out.add(new Problem(n.name(), n.kind().label() + " " + Names.quote(n.name()) + " publishes host"
                                + " port " + where(p) + ", which " + Names.quote(o.node) + " publishes too" + note
                                + "; pick another host port, or publish each on its own address"));
                        break;
                    }
                }
                owners.add(new Owner(n.name(), p.hostIp()));
            }
        }
        return out;
    }

    private static String where(Port p) {
        if (p.hostIp().isEmpty()) {
            return Integer.toString(p.host());
        }
        return (p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp()) + ":" + p.host();
    }

    private static boolean overlap(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return true;
        }
        InetAddress x = address(a);
        InetAddress y = address(b);
        if (x == null || y == null) {
            return a.equals(b); // reported as malformed elsewhere
        }
        if (x.getClass() != y.getClass()) {
            return false;
        }
        return x.equals(y) || x.isAnyLocalAddress() || y.isAnyLocalAddress();
    }

    private record Owner(String node, String ip) {
    }
}
