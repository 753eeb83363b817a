package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Mount;
import dev.ordo.NodeBuilder;
import dev.ordo.Port;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A compose service's {@code ports}, {@code expose}, {@code volumes} and {@code tmpfs} (short and long syntax) as
 * Ordo ports and mounts, with what Compose honours: host addresses ({@code 127.0.0.1:5432:5432},
 * {@code "[::1]:5432:5432"}, {@code host_ip}), port ranges, {@code /udp}; mount options {@code ro}, {@code z},
 * {@code Z} and propagation ({@code bind.propagation}, {@code bind.selinux}). Paths are absolute already
 * ({@link RelativePaths}).
 *
 * <pre>{@code
 * new PortsAndMounts("db", def, at, problems::add, warnings::add).volumes(builder);
 * }</pre>
 */
final class PortsAndMounts {
    /** The most ports one range may name: more is almost certainly a typo, and each becomes a binding. */
    static final int LONGEST_RANGE = 1000;
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");

    private final String name;
    private final JsonNode def;
    private final UnaryOperator<String> at;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    PortsAndMounts(String name, JsonNode def, UnaryOperator<String> at, Consumer<String> problem,
                   Consumer<String> warning) {
        this.name = name;
        this.def = def;
        this.at = at;
        this.problem = problem;
        this.warning = warning;
    }

    /** Whether a short-syntax volume source is a host path (Compose: it starts with '/', '.' or '~'). */
    static boolean isBindSource(String source) {
        return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
    }

    /** The container path of a short-syntax volume, {@code SOURCE:TARGET[:OPTIONS]} or {@code TARGET}. */
    static String shortTarget(String spec) {
        String[] parts = spec.split(":");
        return parts.length == 1 ? parts[0] : parts[1];
    }

    /** {@code ports}: published ones first, then those without a host port (which Ordo only exposes). */
    void ports(NodeBuilder<?> b) {
        List<Port> all = new ArrayList<>();
        for (JsonNode p : ServiceReader.list(def.path("ports"))) {
            if (p.isObject()) {
                longPort(all, p);
            } else {
                shortPort(all, p.asText());
            }
        }
        all.stream().filter(Port::isPublished).forEach(b::port);
        all.stream().filter(p -> !p.isPublished()).forEach(b::port);
    }

    private void longPort(List<Port> b, JsonNode p) {
        String protocol = p.path("protocol").asText("tcp");
        String ip = p.path("host_ip").asText("");
        int[] targets = range(p.path("target").asText(), "ports");
        int[] published = p.hasNonNull("published") ? range(p.get("published").asText(), "ports") : new int[0];
        add(b, targets, published, ip, protocol, p.toString());
    }

    private void shortPort(List<Port> b, String spec) {
        String s = spec;
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String ip = "";
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                problem.accept(at.apply("ports: '" + spec + "' opens an IPv6 address with '[' that is not closed"
                        + " by ']:'; write it as \"[::1]:5432:5432\""));
                return;
            }
            ip = s.substring(1, close);
            s = s.substring(close + 2);
        }
        String[] parts = s.split(":");
        if (parts.length > 3 || parts.length == 3 && !ip.isEmpty()) {
            problem.accept(at.apply("ports: '" + spec + "' is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL];"
                    + " an IPv6 address is written in brackets, \"[::1]:5432:5432\""));
            return;
        }
        if (parts.length == 3) {
            ip = parts[0];
        }
        int[] targets = range(parts[parts.length - 1], "ports");
        int[] published = parts.length >= 2 && !parts[parts.length - 2].isEmpty()
                ? range(parts[parts.length - 2], "ports") : new int[0];
        add(b, targets, published, ip, protocol, spec);
    }

    private void add(List<Port> b, int[] targets, int[] published, String ip, String protocol, String spec) {
        if (targets.length == 0) {
            return;
        }
        if (published.length == 0) {
            warning.accept(at.apply("ports: '" + spec + "' has no host port, so Compose would publish it on a random"
                    + " one; Ordo does not publish it (write HOST:" + targets[0] + " to publish it)"));
            for (int t : targets) {
                b.add(new Port(t, 0, protocol));
            }
            return;
        }
        if (published.length != targets.length && targets.length != 1) {
            problem.accept(at.apply("ports: '" + spec + "' maps " + published.length + " host ports to "
                    + targets.length + " container ports; give ranges of the same length"));
            return;
        }
        if (targets.length == 1 && published.length > 1) {
            // Compose lets the engine pick a free port of the range: Ordo takes the first, deterministically
            warning.accept(at.apply("ports: '" + spec + "' lets Compose pick one free host port of a range; Ordo"
                    + " publishes " + published[0]));
            b.add(new Port(targets[0], published[0], protocol, ip));
            return;
        }
        for (int i = 0; i < targets.length; i++) {
            b.add(new Port(targets[i], published[i], protocol, ip));
        }
    }

    /** A port or a range {@code 8000-8010}; empty after a problem. */
    private int[] range(String s, String key) {
        String t = s.strip();
        int dash = t.indexOf('-');
        if (dash < 0) {
            Integer n = number(t, key);
            return n == null ? new int[0] : new int[] {n};
        }
        Integer from = number(t.substring(0, dash), key);
        Integer to = number(t.substring(dash + 1), key);
        if (from == null || to == null) {
            return new int[0];
        }
        if (to < from || to - from >= LONGEST_RANGE) {
            problem.accept(at.apply(key + ": port range '" + s + "' must go up, by at most " + LONGEST_RANGE
                    + " ports"));
            return new int[0];
        }
        int[] out = new int[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private Integer number(String s, String key) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            problem.accept(at.apply(key + ": '" + s + "' is not a port number"));
            return null;
        }
    }

    /** {@code expose}: ports other nodes reach, not published. */
    void exposed(NodeBuilder<?> b) {
        for (JsonNode p : ServiceReader.list(def.path("expose"))) {
            String[] parts = p.asText().split("/");
            for (int port : range(parts[0], "expose")) {
                b.port(new Port(port, 0, parts.length > 1 ? parts[1] : "tcp"));
            }
        }
    }

    /** {@code volumes}: the named volumes used are added to {@code named}. */
    void volumes(NodeBuilder<?> b, List<String> named) {
        int anonymous = 0;
        for (JsonNode v : ServiceReader.list(def.path("volumes"))) {
            Mount m = v.isObject() ? longVolume(v) : shortVolume(v.asText());
            if (m == null) {
                continue;
            }
            if (m.type() == Mount.Type.VOLUME && m.source().isEmpty()) {
                String source = name + "-data-" + (++anonymous);
                warning.accept(at.apply("volumes: the anonymous volume at " + m.target() + " becomes the named volume '"
                        + source + "' (Ordo keeps volumes by name across ups)"));
                m = new Mount(Mount.Type.VOLUME, source, m.target(), m.readOnly());
            } else if (m.type() == Mount.Type.VOLUME) {
                named.add(m.source());
            }
            b.mount(m);
        }
        for (JsonNode t : ServiceReader.list(def.path("tmpfs"))) {
            String[] parts = t.asText().split(":", 2);
            if (parts.length == 2) {
                warning.accept(at.apply("tmpfs: the options '" + parts[1] + "' of " + parts[0] + " are not kept; Ordo"
                        + " mounts it with the engine's defaults"));
            }
            b.tmpfs(parts[0]);
        }
    }

    private Mount shortVolume(String spec) {
        // compose-go's format.ParseVolume: no empty spec, no empty section, at most SOURCE:TARGET:OPTIONS
        if (spec.isEmpty()) {
            problem.accept(at.apply("volumes: invalid empty volume spec; write SOURCE:TARGET[:OPTIONS] or TARGET"));
            return null;
        }
        String[] parts = spec.split(":", -1);
        if (parts.length == 1) {
            return new Mount(Mount.Type.VOLUME, "", parts[0], false);
        }
        if (parts.length > 3) {
            problem.accept(at.apply("volumes: invalid spec: " + spec + ": too many colons; write"
                    + " SOURCE:TARGET[:OPTIONS]"));
            return null;
        }
        if (Arrays.stream(parts).anyMatch(String::isEmpty)) {
            problem.accept(at.apply("volumes: invalid spec: " + spec + ": empty section between colons; write"
                    + " SOURCE:TARGET[:OPTIONS]"));
            return null;
        }
        String source = parts[0];
        Mount m = isBindSource(source) ? Mount.bind(source, parts[1]) : Mount.volume(source, parts[1]);
        if (parts.length == 3) {
            for (String option : parts[2].split(",")) {
                m = option(m, option.strip(), spec);
            }
        }
        return m;
    }

    private Mount option(Mount m, String option, String spec) {
        switch (option) {
            case "ro" -> {
                return m.asReadOnly();
            }
            case "rw", "cached", "delegated", "consistent", "" -> {
                return m; // rw is the default; the consistency flags only ever mattered on macOS
            }
            case "z", "Z" -> {
                if (m.type() != Mount.Type.BIND) {
                    problem.accept(at.apply("volumes: '" + spec + "' relabels a named volume; ':" + option + "' applies"
                            + " to host paths only"));
                    return m;
                }
                return m.relabel(option.equals("z") ? Mount.Relabel.SHARED : Mount.Relabel.PRIVATE);
            }
            case "nocopy" -> {
                warning.accept(at.apply("volumes: '" + spec + "': nocopy is not kept; Docker copies the image's"
                        + " content into a new empty volume"));
                return m;
            }
            default -> {
                if (PROPAGATIONS.contains(option) && m.type() == Mount.Type.BIND) {
                    return m.propagation(Mount.Propagation.valueOf(option.toUpperCase(Locale.ROOT)));
                }
                // Compose ignores an option it does not know (format.ParseVolume); so does Ordo, saying so
                warning.accept(at.apply("volumes: '" + spec + "' has option '" + option + "', which is not one of ro,"
                        + " rw, z, Z, nocopy or a bind propagation (rprivate, rshared, rslave, ...); it is ignored,"
                        + " as Compose ignores it"));
                return m;
            }
        }
    }

    private Mount longVolume(JsonNode v) {
        String type = v.path("type").asText("volume");
        String source = v.path("source").asText("");
        String target = v.path("target").asText("");
        Mount m;
        switch (type) {
            case "bind" -> {
                m = Mount.bind(source, target);
                JsonNode bind = v.path("bind");
                String propagation = bind.path("propagation").asText("");
                if (!propagation.isEmpty()) {
                    if (!PROPAGATIONS.contains(propagation)) {
                        problem.accept(at.apply("volumes: bind.propagation '" + propagation + "' of " + target + " is"
                                + " not one of " + new TreeSet<>(PROPAGATIONS)));
                    } else {
                        m = m.propagation(Mount.Propagation.valueOf(propagation.toUpperCase(Locale.ROOT)));
                    }
                }
                String selinux = bind.path("selinux").asText("");
                if (selinux.equals("z") || selinux.equals("Z")) {
                    m = m.relabel(selinux.equals("z") ? Mount.Relabel.SHARED : Mount.Relabel.PRIVATE);
                } else if (!selinux.isEmpty()) {
                    problem.accept(at.apply("volumes: bind.selinux '" + selinux + "' of " + target + " is not z or Z"));
                }
                if (bind.has("create_host_path") && !bind.get("create_host_path").asBoolean(true)) {
                    warning.accept(at.apply("volumes: bind.create_host_path false of " + target + " is not kept: a"
                            + " missing host path is created by the engine"));
                }
            }
            case "tmpfs" -> {
                m = Mount.tmpfs(target);
                if (v.path("tmpfs").path("size").asText("").strip().startsWith("-")) {
                    problem.accept(at.apply("volumes: tmpfs.size of " + target + " must be greater than or equal to 0"
                            + " (it is " + v.path("tmpfs").path("size").asText() + ")"));
                }
                if (v.path("tmpfs").size() > 0) {
                    warning.accept(at.apply("volumes: the tmpfs options of " + target + " are not kept; Ordo mounts"
                            + " it with the engine's defaults"));
                }
            }
            case "volume" -> {
                m = new Mount(Mount.Type.VOLUME, source, target, false);
                if (v.path("volume").path("nocopy").asBoolean(false) || v.path("volume").has("subpath")) {
                    warning.accept(at.apply("volumes: volume.nocopy and volume.subpath of " + target + " are not"
                            + " kept"));
                }
            }
            default -> {
                problem.accept(at.apply("volumes: type '" + type + "' of " + target + " is not supported; use volume,"
                        + " bind or tmpfs"));
                return null;
            }
        }
        if (v.hasNonNull("consistency")) {
            warning.accept(at.apply("volumes: consistency '" + v.get("consistency").asText() + "' of " + target
                    + " is ignored: it only ever mattered to Docker Desktop on macOS"));
        }
        return v.path("read_only").asBoolean(false) ? m.asReadOnly() : m;
    }

}
