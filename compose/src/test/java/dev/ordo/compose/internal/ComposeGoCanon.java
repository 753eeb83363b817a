package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Mount;
import dev.ordo.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test side only: a project Ordo loaded ({@link ProjectLoader.Loaded}, raw form) in compose-go's canonical form, as
 * far as the ported expectations compare it. compose-go decodes the merged YAML into typed structs; this writes
 * Ordo's raw tree the way those structs print: {@code command} as words ({@link ShellWords}), {@code environment}
 * as a map resolved as Ordo resolves it ({@link ServiceReader#environment()}, with compose-go's {@code null} for a
 * variable that stays unset), ports and volumes in long syntax, {@code depends_on} with its defaults, and, when
 * normalization is on (compose-go's default), the implicit {@code default} network, implicit dependencies and the
 * default Dockerfile.
 */
final class ComposeGoCanon {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave",
            "rslave");

    private ComposeGoCanon() {
    }

    /**
     * The project in compose-go's form.
     *
     * @param loaded    what {@link ProjectLoader} returned
     * @param normalize compose-go's normalization (off with {@code skip_normalization})
     * @param disabled  the services the active profiles leave out (Ordo's {@link DeploymentReader#disabled()})
     */
    static ObjectNode project(ProjectLoader.Loaded loaded, boolean normalize, Set<String> disabled) {
        JsonNode tree = loaded.tree();
        ObjectNode out = F.objectNode();
        out.put("project_name", loaded.name());
        ObjectNode env = out.putObject("environment");
        new TreeMap<>(loaded.variables()).forEach(env::put);
        ObjectNode services = out.putObject("services");
        List<String> enabled = new ArrayList<>();
        tree.path("services").fields().forEachRemaining(e -> {
            if (!disabled.contains(e.getKey())) {
                enabled.add(e.getKey());
                services.set(e.getKey(), service(e.getKey(), (ObjectNode) e.getValue(), loaded, normalize));
            }
        });
        out.set("service_names", names(enabled));
        out.set("disabled_service_names", names(disabled));
        boolean usesDefault = false;
        for (JsonNode s : services) {
            usesDefault |= s.path("networks").has("default");
        }
        for (String section : List.of("networks", "volumes", "secrets", "configs")) {
            ObjectNode o = out.putObject(section);
            tree.path(section).fields().forEachRemaining(e -> o.set(e.getKey(), resource(section, e.getKey(),
                    e.getValue(), loaded, normalize)));
            if (section.equals("networks") && usesDefault && !o.has("default")) {
                ObjectNode def = o.putObject("default");
                if (normalize) {
                    def.put("name", loaded.name() + "_default");
                }
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            out.set(section.substring(0, section.length() - 1) + "_names", names(keys));
        }
        ObjectNode ext = F.objectNode();
        tree.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("x-") && !e.getKey().startsWith("x-ordo-")) {
                ext.set(e.getKey(), e.getValue());
            }
        });
        out.set("extensions", ext);
        return out;
    }

    private static ArrayNode names(java.util.Collection<String> names) {
        ArrayNode a = F.arrayNode();
        new TreeSet<>(names).forEach(a::add);
        return a;
    }

    private static ObjectNode resource(String section, String key, JsonNode raw, ProjectLoader.Loaded loaded,
                                       boolean normalize) {
        ObjectNode r = raw.isObject() ? ((ObjectNode) raw).deepCopy() : F.objectNode();
        extensions(r);
        JsonNode ext = r.get("external");
        if (ext != null && ext.isObject()) {
            r.put("external", true);
            if (ext.has("name") && !r.has("name")) {
                r.set("name", ext.get("name"));
            }
        }
        if (r.has("labels")) {
            r.set("labels", map(r.get("labels"), ""));
        }
        if ((section.equals("secrets") || section.equals("configs")) && r.path("environment").isTextual()) {
            String v = loaded.variables().get(r.get("environment").asText());
            if (v != null) {
                r.put("content", v);
            }
        }
        if (normalize && !r.has("name")) {
            r.put("name", bool(r.get("external")) ? key : loaded.name() + "_" + key);
        }
        return r;
    }

    private static void extensions(ObjectNode o) {
        ObjectNode ext = F.objectNode();
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (k.startsWith("x-") && !k.startsWith("x-ordo-")) {
                ext.set(k, o.remove(k));
            } else if (k.startsWith("x-ordo-")) {
                o.remove(k);
            }
        }
        if (!ext.isEmpty()) {
            o.set("extensions", ext);
        }
    }

    static ObjectNode service(String name, ObjectNode raw, ProjectLoader.Loaded loaded, boolean normalize) {
        ObjectNode s = raw.deepCopy();
        s.remove(FileReader.FILE);
        s.remove("extends");
        extensions(s);
        for (String k : List.of("command", "entrypoint")) {
            if (s.has(k) && !s.get(k).isNull()) {
                s.set(k, words(s.get(k)));
            }
        }
        s.set("environment", environment(name, raw, loaded));
        if (s.has("env_file")) {
            ArrayNode a = F.arrayNode();
            for (JsonNode f : ServiceReader.list(s.get("env_file"))) {
                ObjectNode o = a.addObject();
                o.put("path", f.isTextual() ? f.asText() : f.path("path").asText());
                o.put("required", !f.isObject() || bool(f.get("required"), true));
                if (f.has("format")) {
                    o.set("format", f.get("format"));
                }
            }
            s.set("env_file", a);
        }
        if (s.has("networks")) {
            s.set("networks", networks(s.get("networks")));
        }
        if (normalize && !s.has("network_mode") && s.path("networks").isEmpty()) {
            s.putObject("networks").putNull("default");
        }
        if (s.has("build")) {
            s.set("build", build(s.get("build"), loaded, normalize));
        }
        if (s.has("volumes")) {
            ArrayNode a = F.arrayNode();
            s.get("volumes").forEach(v -> a.add(v.isObject() ? longVolume((ObjectNode) v) : shortVolume(v.asText())));
            s.set("volumes", a);
        }
        if (s.has("ports")) {
            ArrayNode a = F.arrayNode();
            for (JsonNode p : ServiceReader.list(s.get("ports"))) {
                if (p.isObject()) {
                    a.add(longPort((ObjectNode) p));
                } else {
                    shortPort(p.asText()).forEach(a::add);
                }
            }
            s.set("ports", a);
        }
        if (s.has("expose")) {
            ArrayNode a = F.arrayNode();
            ServiceReader.list(s.get("expose")).forEach(x -> a.add(x.asText()));
            s.set("expose", a);
        }
        s.set("depends_on", dependsOn(s, normalize));
        if (s.get("depends_on").isEmpty()) {
            s.remove("depends_on");
        }
        if (s.has("healthcheck")) {
            s.set("healthcheck", healthcheck(s.get("healthcheck")));
        }
        for (String k : List.of("secrets", "configs")) {
            if (s.has(k)) {
                ArrayNode a = F.arrayNode();
                ServiceReader.list(s.get(k)).forEach(x -> a.add(fileMount(x, k.equals("secrets"))));
                s.set(k, a);
            }
        }
        for (String k : List.of("labels", "annotations", "sysctls")) {
            if (s.has(k)) {
                s.set(k, map(s.get(k), ""));
            }
        }
        if (s.has("extra_hosts")) {
            s.set("extra_hosts", hosts(s.get("extra_hosts")));
        }
        if (s.has("ulimits")) {
            ObjectNode u = F.objectNode();
            s.get("ulimits").fields().forEachRemaining(e -> u.set(e.getKey(), e.getValue().isObject() ? e.getValue()
                    : F.objectNode().set("single", e.getValue())));
            s.set("ulimits", u);
        }
        if (s.has("devices")) {
            ArrayNode a = F.arrayNode();
            s.get("devices").forEach(d -> a.add(device(d)));
            s.set("devices", a);
        }
        for (String k : List.of("dns", "dns_search", "dns_opt", "tmpfs", "profiles", "cap_add", "cap_drop")) {
            if (s.has(k)) {
                ArrayNode a = F.arrayNode();
                ServiceReader.list(s.get(k)).forEach(x -> {
                    if (!(k.equals("dns") && x.asText().isEmpty())) { // compose-go omits an empty dns entry
                        a.add(x);
                    }
                });
                s.set(k, a);
            }
        }
        for (String k : List.of("shm_size", "memswap_limit", "mem_limit", "mem_reservation")) {
            if (s.hasNonNull(k)) {
                s.put(k, bytes(s.get(k)));
            }
        }
        if (s.has("deploy")) {
            s.set("deploy", deploy((ObjectNode) s.get("deploy")));
        }
        return s;
    }

    /** Ordo's environment of the service (env_file, then environment), with null for what stays unset. */
    private static ObjectNode environment(String name, ObjectNode raw, ProjectLoader.Loaded loaded) {
        Map<String, String> env = new ServiceReader(name, raw, k -> k, loaded.variables()::get, x -> { },
                x -> { }).environment();
        ObjectNode out = F.objectNode();
        env.forEach(out::put);
        ComposeMerge.asEntries(raw.path("environment")).fields().forEachRemaining(e -> {
            if (e.getValue().isNull() && !out.has(e.getKey())) {
                out.putNull(e.getKey());
            }
        });
        return out;
    }

    static ArrayNode words(JsonNode n) {
        ArrayNode a = F.arrayNode();
        if (n.isTextual()) {
            ShellWords.split(n.asText()).forEach(a::add);
        } else {
            n.forEach(x -> a.add(x.asText()));
        }
        return a;
    }

    /** A mapping or a list of {@code KEY=VALUE} as a map of strings; {@code nullAs} for a key without value. */
    static ObjectNode map(JsonNode n, String nullAs) {
        ObjectNode out = F.objectNode();
        ComposeMerge.asEntries(n).fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                if (nullAs == null) {
                    out.putNull(e.getKey());
                } else {
                    out.put(e.getKey(), nullAs);
                }
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    private static ObjectNode networks(JsonNode n) {
        if (n.isObject()) {
            return (ObjectNode) n;
        }
        ObjectNode out = F.objectNode();
        n.forEach(x -> out.putNull(x.asText()));
        return out;
    }

    private static ObjectNode build(JsonNode b, ProjectLoader.Loaded loaded, boolean normalize) {
        ObjectNode out = b.isObject() ? ((ObjectNode) b).deepCopy() : F.objectNode().put("context", b.asText());
        if (normalize) {
            if (!out.has("context")) {
                out.put("context", loaded.directory().toString());
            }
            if (!out.has("dockerfile") && !out.has("dockerfile_inline")) {
                out.put("dockerfile", "Dockerfile");
            }
        }
        for (String k : List.of("args", "labels", "additional_contexts")) {
            if (out.has(k)) {
                out.set(k, map(out.get(k), k.equals("labels") ? "" : null));
            }
        }
        if (out.has("secrets")) {
            ArrayNode a = F.arrayNode();
            out.get("secrets").forEach(x -> a.add(fileMount(x, true)));
            out.set("secrets", a);
        }
        if (out.has("ssh")) {
            ArrayNode a = F.arrayNode();
            for (JsonNode x : ServiceReader.list(out.get("ssh"))) {
                String[] kv = x.asText().split("=", 2);
                a.addObject().put("id", kv[0]).put("path", kv.length > 1 ? kv[1] : "");
            }
            out.set("ssh", a);
        }
        if (out.hasNonNull("shm_size")) {
            out.put("shm_size", bytes(out.get("shm_size")));
        }
        return out;
    }

    /** A short-syntax volume as compose-go's {@code format.ParseVolume} reads it. */
    static ObjectNode shortVolume(String spec) {
        ObjectNode v = F.objectNode();
        String[] parts = spec.split(":", -1);
        String source = parts.length > 1 ? parts[0] : "";
        String target = parts.length > 1 ? parts[1] : parts[0];
        boolean bind = PortsAndMounts.isBindSource(source);
        v.put("type", bind ? "bind" : "volume");
        if (!source.isEmpty()) {
            v.put("source", source);
        }
        v.put("target", target);
        ObjectNode bindOptions = F.objectNode();
        ObjectNode volumeOptions = F.objectNode().put("nocopy", false);
        if (parts.length > 2) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro" -> v.put("read_only", true);
                    case "rw" -> v.put("read_only", false);
                    case "nocopy" -> volumeOptions.put("nocopy", true);
                    case "z", "Z" -> bindOptions.put("selinux", o);
                    default -> {
                        if (PROPAGATIONS.contains(o)) {
                            bindOptions.put("propagation", o);
                        }
                    }
                }
            }
        }
        if (bind) {
            bindOptions.put("create_host_path", true);
            v.set("bind", bindOptions);
        } else {
            v.set("volume", volumeOptions);
        }
        return v;
    }

    private static ObjectNode longVolume(ObjectNode v) {
        ObjectNode out = v.deepCopy();
        extensions(out);
        if (out.path("tmpfs").has("size")) {
            ((ObjectNode) out.get("tmpfs")).put("size", bytes(out.get("tmpfs").get("size")));
        }
        return out;
    }

    /** What Ordo's model keeps of a mount, in compose-go's long syntax. */
    static ObjectNode mount(Mount m) {
        ObjectNode v = F.objectNode();
        v.put("type", m.type().name().toLowerCase(Locale.ROOT));
        if (!m.source().isEmpty()) {
            v.put("source", m.source());
        }
        v.put("target", m.target());
        v.put("read_only", m.readOnly());
        if (m.type() == Mount.Type.BIND) {
            // Ordo creates a missing host path (PortsAndMounts warns where a file says otherwise)
            ObjectNode b = v.putObject("bind").put("create_host_path", true);
            if (m.relabel() != Mount.Relabel.NONE) {
                b.put("selinux", m.relabel() == Mount.Relabel.SHARED ? "z" : "Z");
            }
            if (m.propagation() != Mount.Propagation.DEFAULT) {
                b.put("propagation", m.propagation().name().toLowerCase(Locale.ROOT));
            }
        } else if (m.type() == Mount.Type.VOLUME) {
            v.putObject("volume").put("nocopy", false); // Ordo's model has no nocopy (PortsAndMounts warns)
        }
        return v;
    }

    /** What Ordo's model keeps of a port, in compose-go's long syntax. */
    static ObjectNode port(Port p) {
        ObjectNode o = F.objectNode().put("target", p.container());
        if (p.isPublished()) {
            o.put("published", String.valueOf(p.host()));
        }
        if (!p.hostIp().isEmpty()) {
            o.put("host_ip", p.hostIp());
        }
        return o.put("protocol", p.protocol()).put("mode", "ingress");
    }

    private static ObjectNode longPort(ObjectNode p) {
        ObjectNode out = p.deepCopy();
        extensions(out);
        if (out.hasNonNull("published")) {
            out.put("published", out.get("published").asText());
        }
        if (!out.has("protocol")) {
            out.put("protocol", "tcp");
        }
        if (!out.has("mode")) {
            out.put("mode", "ingress");
        }
        return out;
    }

    /** A short-syntax port as compose-go's {@code types.ParsePortConfig} reads it (no error handling). */
    static List<ObjectNode> shortPort(String spec) {
        String s = spec;
        String protocol = "tcp";
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            protocol = s.substring(slash + 1).toLowerCase(Locale.ROOT);
            s = s.substring(0, slash);
        }
        String ip = "";
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            ip = s.substring(1, close);
            s = s.substring(close + 2);
        }
        String[] parts = s.split(":", -1);
        if (parts.length == 3) {
            ip = parts[0];
        }
        String container = parts[parts.length - 1];
        String host = parts.length >= 2 ? parts[parts.length - 2] : "";
        int[] c = range(container);
        int[] h = host.isEmpty() ? new int[0] : range(host);
        Map<String, ObjectNode> byKey = new TreeMap<>(); // compose-go sorts the ports as "8080/tcp" strings
        for (int i = 0; i < c.length; i++) {
            ObjectNode o = F.objectNode().put("target", c[i]);
            if (h.length == c.length) {
                o.put("published", String.valueOf(h[i]));
            } else if (h.length > 0 && c.length == 1) {
                o.put("published", h[0] == h[h.length - 1] ? String.valueOf(h[0]) : host);
            }
            if (!ip.isEmpty()) {
                o.put("host_ip", ip);
            }
            o.put("protocol", protocol).put("mode", "ingress");
            byKey.put(c[i] + "/" + protocol, o);
        }
        return new ArrayList<>(byKey.values());
    }

    private static int[] range(String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return new int[] {Integer.parseInt(s.strip())};
        }
        int from = Integer.parseInt(s.substring(0, dash));
        int to = Integer.parseInt(s.substring(dash + 1));
        int[] out = new int[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static ObjectNode dependsOn(ObjectNode s, boolean normalize) {
        ObjectNode out = F.objectNode();
        JsonNode d = s.path("depends_on");
        if (d.isArray()) {
            d.forEach(x -> out.set(x.asText(), dependency("service_started", true, false)));
        } else if (d.isObject()) {
            d.fields().forEachRemaining(e -> out.set(e.getKey(), dependency(
                    e.getValue().path("condition").asText("service_started"),
                    bool(e.getValue().get("required"), true), bool(e.getValue().get("restart"), false))));
        }
        if (normalize) {
            for (JsonNode l : ServiceReader.list(s.path("links"))) {
                implicit(out, l.asText().split(":")[0], true);
            }
            for (String ns : List.of("network_mode", "ipc", "pid", "uts", "cgroup")) {
                String ref = s.path(ns).asText("");
                if (ref.startsWith("service:")) {
                    implicit(out, ref.substring("service:".length()), true);
                }
            }
            for (JsonNode v : ServiceReader.list(s.path("volumes_from"))) {
                if (!v.asText().startsWith("container:")) {
                    implicit(out, v.asText().split(":")[0], false);
                }
            }
        }
        return out;
    }

    private static void implicit(ObjectNode deps, String service, boolean restart) {
        if (!deps.has(service)) {
            deps.set(service, dependency("service_started", true, restart));
        }
    }

    private static ObjectNode dependency(String condition, boolean required, boolean restart) {
        return F.objectNode().put("condition", condition).put("required", required).put("restart", restart);
    }

    private static ObjectNode healthcheck(JsonNode h) {
        ObjectNode out = h.isObject() ? ((ObjectNode) h).deepCopy() : F.objectNode();
        if (out.path("test").isTextual()) {
            out.set("test", F.arrayNode().add("CMD-SHELL").add(out.get("test").asText()));
        }
        if (!out.has("disable")) {
            out.put("disable", false);
        }
        return out;
    }

    private static ObjectNode fileMount(JsonNode m, boolean secret) {
        ObjectNode out = m.isObject() ? ((ObjectNode) m).deepCopy() : F.objectNode().put("source", m.asText());
        if (secret && !out.has("target")) {
            out.put("target", "/run/secrets/" + out.path("source").asText());
        }
        if (out.hasNonNull("mode") && out.get("mode").isTextual()) {
            out.put("mode", Integer.parseInt(out.get("mode").asText().replaceFirst("^0o", ""), 8));
        }
        for (String k : List.of("uid", "gid")) {
            if (out.hasNonNull(k)) {
                out.put(k, out.get(k).asText());
            }
        }
        return out;
    }

    private static ObjectNode hosts(JsonNode n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> ServiceReader.list(e.getValue())
                    .forEach(ip -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ip.asText())));
        } else {
            for (JsonNode x : n) {
                String[] kv = x.asText().split("[:=]", 2);
                out.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
            }
        }
        ObjectNode o = F.objectNode();
        out.forEach((k, v) -> {
            ArrayNode a = o.putArray(k);
            v.forEach(a::add);
        });
        return o;
    }

    private static ObjectNode device(JsonNode d) {
        if (d.isObject()) {
            return (ObjectNode) d;
        }
        String[] p = d.asText().split(":");
        return F.objectNode().put("source", p[0]).put("target", p.length > 1 ? p[1] : p[0])
                .put("permissions", p.length > 2 ? p[2] : "rwm");
    }

    private static ObjectNode deploy(ObjectNode d) {
        ObjectNode out = d.deepCopy();
        if (out.has("labels")) {
            out.set("labels", map(out.get("labels"), ""));
        }
        for (String k : List.of("limits", "reservations")) {
            JsonNode r = out.path("resources").path(k);
            if (r.hasNonNull("memory")) {
                ((ObjectNode) r).put("memory", bytes(r.get("memory")));
            }
        }
        return out;
    }

    private static final Pattern BYTES = Pattern.compile("(-?[0-9.]+)\\s*([kmgtp]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    /** A byte size as compose-go's {@code UnitBytes} reads it ({@code 2gb}, {@code 50M}, {@code 1024}). */
    static long bytes(JsonNode n) {
        if (n.isNumber()) {
            return n.asLong();
        }
        Matcher m = BYTES.matcher(n.asText().strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a byte size: " + n);
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1;
        };
        return (long) (Double.parseDouble(m.group(1)) * unit);
    }

    static boolean bool(JsonNode n) {
        return bool(n, false);
    }

    static boolean bool(JsonNode n, boolean absent) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return absent;
        }
        return n.isBoolean() ? n.asBoolean() : "true".equalsIgnoreCase(n.asText());
    }
}
