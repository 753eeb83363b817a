package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Mount;
import dev.ordo.NodeBuilder;
import dev.ordo.Port;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A compose service's {@code ports}, {@code expose} and {@code volumes} (short and long syntax) as Ordo ports and
 * mounts; bind sources relative to the service's file.
 *
 * <pre>{@code
 * new PortsAndMounts("db", def, dir, at, problems::add, warnings::add).volumes(builder);
 * }</pre>
 */
final class PortsAndMounts {
    private final String name;
    private final JsonNode def;
    private final Path dir;
    private final UnaryOperator<String> at;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    PortsAndMounts(String name, JsonNode def, Path dir, UnaryOperator<String> at, Consumer<String> problem,
                   Consumer<String> warning) {
        this.name = name;
        this.def = def;
        this.dir = dir;
        this.at = at;
        this.problem = problem;
        this.warning = warning;
    }

    private String at(String key) {
        return at.apply(key);
    }

    void ports(NodeBuilder<?> b) {
        for (JsonNode p : ServiceReader.list(def.path("ports"))) {
            if (p.isObject()) {
                if (p.hasNonNull("host_ip")) {
                    warning.accept(at("ports: host_ip " + p.get("host_ip").asText() + " of port " + p.path("target")
                            .asText() + " is ignored; Ordo publishes on every address"));
                }
                int published = p.hasNonNull("published") ? number(p.get("published").asText(), "ports") : 0;
                b.port(new Port(number(p.path("target").asText(), "ports"), published,
                        p.path("protocol").asText("tcp")));
                continue;
            }
            String s = p.asText();
            String proto = "tcp";
            int slash = s.indexOf('/');
            if (slash >= 0) {
                proto = s.substring(slash + 1);
                s = s.substring(0, slash);
            }
            String[] parts = s.split(":");
            if (s.contains("-")) {
                problem.accept(at("ports: port range '" + p.asText() + "' is not supported; list each port"));
                continue;
            }
            int container = number(parts[parts.length - 1], "ports");
            int host = parts.length >= 2 ? number(parts[parts.length - 2], "ports") : 0;
            if (host == 0) {
                warning.accept(at("ports: '" + p.asText() + "' has no host port, so Compose would publish it on a"
                        + " random one; Ordo does not publish it (write HOST:" + container + " to publish it)"));
            }
            if (parts.length == 3) {
                warning.accept(at("ports: host address " + parts[0] + " of '" + p.asText() + "' is ignored; Ordo"
                        + " publishes on every address"));
            }
            b.port(new Port(container, host, proto));
        }
    }

    private int number(String s, String key) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            problem.accept(at(key + ": '" + s + "' is not a port number"));
            return 1;
        }
    }

    /** {@code expose}: ports other nodes reach, not published, after the {@code ports} (as Ordo exports them). */
    void exposed(NodeBuilder<?> b) {
        for (JsonNode p : ServiceReader.list(def.path("expose"))) {
            String[] parts = p.asText().split("/");
            b.port(new Port(number(parts[0], "expose"), 0, parts.length > 1 ? parts[1] : "tcp"));
        }
    }

    void volumes(NodeBuilder<?> b) {
        int anonymous = 0;
        for (JsonNode v : ServiceReader.list(def.path("volumes"))) {
            String type;
            String source;
            String target;
            boolean ro;
            if (v.isObject()) {
                type = v.path("type").asText("volume");
                source = v.path("source").asText("");
                target = v.path("target").asText("");
                ro = v.path("read_only").asBoolean(false);
            } else {
                String[] parts = v.asText().split(":");
                if (parts.length == 1) {
                    type = "volume";
                    source = "";
                    target = parts[0];
                } else {
                    source = parts[0];
                    target = parts[1];
                    type = source.startsWith("/") || source.startsWith(".") || source.startsWith("~") ? "bind" : "volume";
                }
                ro = parts.length == 3 && parts[2].contains("ro");
            }
            Mount m;
            switch (type) {
                case "bind" -> m = Mount.bind(source.startsWith("~") ? System.getProperty("user.home")
                        + source.substring(1) : dir.resolve(source).normalize().toString(), target);
                case "tmpfs" -> m = Mount.tmpfs(target);
                case "volume" -> {
                    if (source.isEmpty()) {
                        source = name + "-data-" + (++anonymous);
                        warning.accept(at("volumes: the anonymous volume at " + target + " becomes the named volume '"
                                + source + "' (Ordo keeps volumes by name across ups)"));
                    }
                    m = Mount.volume(source, target);
                }
                default -> {
                    problem.accept(at("volumes: type '" + type + "' is not supported; use volume, bind or tmpfs"));
                    continue;
                }
            }
            b.mount(ro ? m.asReadOnly() : m);
        }
    }

}
