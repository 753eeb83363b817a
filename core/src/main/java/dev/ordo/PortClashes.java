package dev.ordo;

import dev.ordo.ValidationException.Problem;
import dev.ordo.internal.Names;
import java.net.Inet6Address;
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
        Map<String, Bindings> byPort = new HashMap<>();
        List<Problem> out = new ArrayList<>();
        for (Node n : enabled) {
            for (Port p : n.container().ports()) {
                if (!p.isPublished() || p.host() < 1 || p.host() > 65535) {
                    continue;
                }
                Bindings b = byPort.computeIfAbsent(p.host() + "/" + p.protocol(), k -> new Bindings());
                String other = b.claim(n.name(), p.hostIp());
                if (other != null && !other.equals(n.name())) {
                    out.add(new Problem(n.name(), n.kind().label() + " " + Names.quote(n.name()) + " publishes host"
                            + " port " + where(p) + ", which " + Names.quote(other) + " publishes too" + note
                            + "; pick another host port, or publish each on its own address"));
                }
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

    /**
     * Who publishes one port and protocol, by address, so that each new binding is checked in constant time: the
     * first owner of every address, of every IPv4 and of every IPv6 address, of each single address, and the first
     * owner of any IPv4 and any IPv6 address (which a later every-address binding overlaps).
     */
    private static final class Bindings {
        private String every;
        private String every4;
        private String every6;
        private String some4;
        private String some6;
        private final Map<Object, String> single = new HashMap<>();

        /** Claims {@code ip} for {@code node}; returns an earlier owner it overlaps, or null. */
        String claim(String node, String ip) {
            if (ip.isEmpty()) {
                String other = first(every, every4, every6, some4, some6);
                every = every == null ? node : every;
                return other;
            }
            InetAddress a = address(ip);
            boolean v6 = a instanceof Inet6Address;
            String other;
            if (a != null && a.isAnyLocalAddress()) {
                other = v6 ? first(every, every6, some6) : first(every, every4, some4);
                if (v6) {
                    every6 = every6 == null ? node : every6;
                } else {
                    every4 = every4 == null ? node : every4;
                }
            } else {
                Object key = a == null ? ip : a;
                other = first(every, v6 ? every6 : every4, single.get(key));
                single.putIfAbsent(key, node);
            }
            if (v6) {
                some6 = some6 == null ? node : some6;
            } else {
                some4 = some4 == null ? node : some4;
            }
            return other;
        }

        private static String first(String... owners) {
            for (String o : owners) {
                if (o != null) {
                    return o;
                }
            }
            return null;
        }
    }
}
