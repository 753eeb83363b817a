package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compose v2's rules for laying one compose tree over another, as {@code docker compose -f a.yml -f b.yml} and
 * {@code extends} do (compose-go's {@code override} package): mappings merge key by key, sequences append, scalars
 * are replaced; {@code command}, {@code entrypoint} and {@code healthcheck.test} are replaced whole;
 * {@code environment}, {@code labels}, {@code env_file} and friends merge entry by entry; {@code depends_on},
 * {@code networks} and {@code build} merge as mappings (a list is read as one); {@code logging} merges only for the
 * same driver. Then each list that names things is made unique, the later entry replacing the earlier in place:
 * {@code volumes} by target, {@code ports} by address, port and protocol, {@code secrets} and {@code configs} by
 * target, {@code expose} by value. Compose's {@code !reset} removes what it stands over and {@code !override}
 * replaces instead of merging ({@link YamlTree} marks them).
 *
 * <pre>{@code
 * ObjectNode merged = ComposeMerge.files(base, override);         // -f base.yml -f override.yml
 * ObjectNode service = ComposeMerge.extend(baseService, own);     // extends: {service: base}
 * }</pre>
 */
public final class ComposeMerge {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ComposeMerge() {
    }

    /** {@code over} laid over {@code base}, both whole projects; neither is changed. */
    public static ObjectNode files(ObjectNode base, ObjectNode over) {
        ObjectNode merged = (ObjectNode) merge(base.deepCopy(), over.deepCopy(), List.of());
        unique(merged);
        return merged;
    }

    /**
     * A resource of {@code section} ({@code services}, {@code volumes}, ...) defined by an included project,
     * {@code included}, with the including file's own definition {@code own} laid over it; neither is changed.
     */
    static JsonNode resource(String section, JsonNode included, JsonNode own) {
        JsonNode merged = merge(settle(included.deepCopy()), own.deepCopy(), List.of(section, "*"));
        if (merged != null && section.equals("services") && merged.isObject()) {
            uniqueService((ObjectNode) merged);
        }
        return merged;
    }

    /** Service {@code own} laid over the service it extends, {@code base}; neither is changed. */
    public static ObjectNode extend(ObjectNode base, ObjectNode own) {
        ObjectNode merged = (ObjectNode) merge(base.deepCopy(), own.deepCopy(), List.of("services", "*"));
        uniqueService(merged);
        return merged;
    }

    /** {@code tree} without the marks of {@code !reset} and {@code !override}: for a file merged over nothing. */
    public static JsonNode settle(JsonNode tree) {
        if (tree.isObject()) {
            ObjectNode o = (ObjectNode) tree;
            if (o.has(YamlTree.OVERRIDE)) {
                return settle(o.get(YamlTree.OVERRIDE));
            }
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                if (isReset(v)) {
                    o.remove(k);
                } else {
                    o.set(k, settle(v));
                }
            }
        } else if (tree.isArray()) {
            ArrayNode a = (ArrayNode) tree;
            for (int i = a.size() - 1; i >= 0; i--) {
                if (isReset(a.get(i))) {
                    a.remove(i);
                } else {
                    a.set(i, settle(a.get(i)));
                }
            }
        }
        return tree;
    }

    private static boolean isReset(JsonNode n) {
        return n != null && n.isObject() && n.size() == 1 && n.path(YamlTree.RESET).asBoolean(false);
    }

    private static boolean matches(List<String> path, String... pattern) {
        if (path.size() != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].equals("*") && !pattern[i].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> next(List<String> path, String key) {
        List<String> n = new ArrayList<>(path.size() + 1);
        n.addAll(path);
        n.add(key);
        return n;
    }

    private static JsonNode merge(JsonNode e, JsonNode o, List<String> p) {
        if (o == null || o.isNull()) {
            return e == null ? o : e; // an empty override keeps the base, as compose-go's merge does
        }
        if (isReset(o)) {
            return null;
        }
        if (o.isObject() && o.has(YamlTree.OVERRIDE)) {
            return settle(o.get(YamlTree.OVERRIDE));
        }
        if (e == null) {
            return settle(o);
        }
        if (p.size() == 3 && p.get(0).equals("services")) {
            String key = p.get(2);
            switch (key) {
                case "command", "entrypoint" -> {
                    return settle(o);
                }
                case "environment", "labels", "annotations", "sysctls" -> {
                    return entries(e, o);
                }
                case "env_file", "label_file", "dns", "dns_opt", "dns_search", "tmpfs", "extra_hosts" -> {
                    ArrayNode a = sequence(e);
                    a.addAll(sequence(settle(o)));
                    return a;
                }
                case "depends_on" -> {
                    return mappings(mapping(e, true), mapping(settle(o), true), p);
                }
                case "networks" -> {
                    return mappings(mapping(e, false), mapping(settle(o), false), p);
                }
                case "build" -> {
                    return mappings(build(e), build(settle(o)), p);
                }
                case "logging" -> {
                    if (e.isObject() && o.isObject() && e.has("driver") && o.has("driver")
                            && !e.get("driver").equals(o.get("driver"))) {
                        return settle(o);
                    }
                }
                default -> {
                }
            }
        }
        if (matches(p, "services", "*", "healthcheck", "test") || matches(p, "services", "*", "ulimits", "*")) {
            return settle(o);
        }
        if (matches(p, "services", "*", "build", "args") || matches(p, "services", "*", "build", "labels")
                || matches(p, "services", "*", "deploy", "labels")) {
            return entries(e, o);
        }
        if (e.isObject() && o.isObject()) {
            return mappings((ObjectNode) e, (ObjectNode) o, p);
        }
        if (e.isArray() && o.isArray()) {
            ArrayNode a = (ArrayNode) e;
            a.addAll((ArrayNode) settle(o));
            return a;
        }
        return settle(o);
    }

    private static ObjectNode mappings(ObjectNode e, ObjectNode o, List<String> p) {
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        it.forEachRemaining(entries::add);
        for (Map.Entry<String, JsonNode> x : entries) {
            String k = x.getKey();
            // extensions (x-...) merge as any mapping does: compose-go's merge has no rule of its own for them
            JsonNode merged = merge(e.get(k), x.getValue(), next(p, k));
            if (merged == null) {
                e.remove(k);
            } else {
                e.set(k, merged);
            }
        }
        return e;
    }

    /** A mapping of {@code KEY: value} or a list of {@code KEY=value} as an ordered map; a bare KEY maps to null. */
    static ObjectNode asEntries(JsonNode n) {
        if (n.isObject()) {
            return (ObjectNode) n;
        }
        ObjectNode out = F.objectNode();
        if (n.isArray()) {
            for (JsonNode x : n) {
                String s = x.asText();
                int eq = s.indexOf('=');
                if (eq < 0) {
                    out.putNull(s);
                } else {
                    out.put(s.substring(0, eq), s.substring(eq + 1));
                }
            }
        } else if (n.isTextual()) {
            out.putNull(n.asText());
        }
        return out;
    }

    private static ObjectNode entries(JsonNode e, JsonNode o) {
        ObjectNode base = asEntries(e).deepCopy();
        asEntries(settle(o)).fields().forEachRemaining(x -> {
            if (isReset(x.getValue())) {
                base.remove(x.getKey());
            } else {
                base.remove(x.getKey()); // the later value comes last, as Compose appends it
                base.set(x.getKey(), x.getValue());
            }
        });
        return base;
    }

    private static ArrayNode sequence(JsonNode n) {
        if (n.isArray()) {
            return ((ArrayNode) n).deepCopy();
        }
        ArrayNode a = F.arrayNode();
        if (!n.isNull() && !n.isMissingNode()) {
            a.add(n);
        }
        return a;
    }

    /** depends_on or networks as a mapping; a list entry gets Compose's defaults when {@code dependency}. */
    private static ObjectNode mapping(JsonNode n, boolean dependency) {
        if (n.isObject()) {
            return (ObjectNode) n;
        }
        ObjectNode out = F.objectNode();
        for (JsonNode x : n) {
            if (dependency) {
                out.putObject(x.asText()).put("condition", "service_started").put("required", true);
            } else {
                out.putNull(x.asText());
            }
        }
        return out;
    }

    private static ObjectNode build(JsonNode n) {
        if (n.isObject()) {
            return (ObjectNode) n;
        }
        ObjectNode out = F.objectNode();
        out.put("context", n.asText());
        return out;
    }

    /** Makes the lists that name things unique in every service of {@code project}. */
    public static void unique(ObjectNode project) {
        JsonNode services = project.get("services");
        if (services != null && services.isObject()) {
            services.forEach(s -> {
                if (s.isObject()) {
                    uniqueService((ObjectNode) s);
                }
            });
        }
    }

    private static void uniqueService(ObjectNode s) {
        uniqueBy(s, "volumes", v -> v.isObject() ? v.path("target").asText() : PortsAndMounts.shortTarget(v.asText()));
        uniqueBy(s, "ports", ComposeMerge::portKey);
        uniqueBy(s, "expose", JsonNode::asText);
        uniqueBy(s, "secrets", v -> mountKey(v, "/run/secrets"));
        uniqueBy(s, "configs", v -> mountKey(v, ""));
        // the rest of compose-go's unicity table (override/uncity.go): by value, or by the key of KEY=VALUE
        for (String k : List.of("profiles", "cap_add", "cap_drop", "dns", "dns_opt", "dns_search", "tmpfs", "links")) {
            uniqueBy(s, k, ComposeMerge::keyOf);
        }
        uniqueBy(s, "env_file", v -> v.isObject() ? v.path("path").asText() : v.asText());
        uniqueBy(s, "devices", v -> v.isObject() ? v.path("target").asText() : PortsAndMounts.shortTarget(v.asText()));
        JsonNode build = s.get("build");
        if (build != null && build.isObject()) {
            uniqueBy((ObjectNode) build, "tags", ComposeMerge::keyOf);
            uniqueBy((ObjectNode) build, "platforms", ComposeMerge::keyOf);
        }
        JsonNode networks = s.get("networks");
        if (networks != null && networks.isObject()) {
            networks.forEach(n -> {
                if (n.isObject()) {
                    uniqueBy((ObjectNode) n, "aliases", ComposeMerge::keyOf);
                    uniqueBy((ObjectNode) n, "link_local_ips", ComposeMerge::keyOf);
                }
            });
        }
    }

    private static String keyOf(JsonNode v) {
        String s = v.asText();
        int eq = s.indexOf('=');
        return eq < 0 ? s : s.substring(0, eq);
    }

    private static String portKey(JsonNode v) {
        if (!v.isObject()) {
            return v.asText();
        }
        return v.path("host_ip").asText("0.0.0.0") + ":" + v.path("published").asText("") + ":"
                + v.path("target").asText() + "/" + v.path("protocol").asText("tcp");
    }

    private static String mountKey(JsonNode v, String dir) {
        if (v.isObject()) {
            return v.hasNonNull("target") ? v.get("target").asText() : dir + "/" + v.path("source").asText();
        }
        return dir + "/" + v.asText();
    }

    private static void uniqueBy(ObjectNode s, String key, Function<JsonNode, String> index) {
        JsonNode list = s.get(key);
        if (list == null || !list.isArray()) {
            return;
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        ArrayNode out = F.arrayNode();
        for (JsonNode v : list) {
            String k = index.apply(v);
            Integer at = seen.get(k);
            if (at != null) {
                out.set(at, v);
            } else {
                seen.put(k, out.size());
                out.add(v);
            }
        }
        s.set(key, out);
    }
}
