package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a compose project into one tree, as {@code docker compose config} would: the YAML file, its variables
 * interpolated ({@code .env} beside it, overridden by the given environment), its {@code include}d files merged in,
 * and each service's {@code extends} resolved (from the same file or another). What is left is one {@code services}
 * map without {@code extends}, plus the top-level {@code volumes}, {@code secrets}, {@code configs} and extensions.
 *
 * <pre>{@code
 * ObjectNode project = new ProjectLoader(System.getenv(), warnings::add).load(Path.of("docker-compose.yml"));
 * }</pre>
 */
public final class ProjectLoader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Where each service and secret was defined, for its relative paths; never written out. */
    public static final String DIR = "x-ordo-dir";
    private final Map<String, String> env;
    private final java.util.function.Consumer<String> warn;
    private final Set<Path> loading = new HashSet<>();

    public ProjectLoader(Map<String, String> env, java.util.function.Consumer<String> warn) {
        this.env = env;
        this.warn = warn;
    }

    /**
     * The project of {@code file}.
     *
     * @throws IllegalArgumentException naming the file (and the key) when it cannot be read, is not a compose file,
     *                                  includes itself, or extends a service that does not exist
     */
    public ObjectNode load(Path file) {
        Path f = file.toAbsolutePath().normalize();
        Map<String, String> vars = new HashMap<>();
        Path dotEnv = f.getParent().resolve(".env");
        if (Files.isRegularFile(dotEnv)) {
            vars.putAll(EnvFile.read(dotEnv));
        }
        vars.putAll(env); // the environment wins over .env, as in Compose
        Set<String> unset = new java.util.TreeSet<>();
        ObjectNode project = read(f, new Interpolation(vars, unset::add));
        unset.forEach(v -> warn.accept("variable " + v + " is not set: it stands for an empty string"
                + " (set it, or give a default: ${" + v + ":-value})"));
        return project;
    }

    private ObjectNode read(Path f, Interpolation vars) {
        if (!loading.add(f)) {
            throw new IllegalArgumentException(f + " includes itself (through include or extends); remove the loop");
        }
        try {
            JsonNode tree;
            try (java.io.Reader in = Files.newBufferedReader(f)) {
                // SnakeYAML rather than Jackson's YAML parser: compose files share settings through anchors,
                // aliases and merge keys (<<: *defaults), which Jackson does not resolve
                Object doc = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).load(in);
                tree = JSON.valueToTree(doc);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read compose file " + f + ": " + String.valueOf(
                        e.getMessage()).lines().findFirst().orElse(""), e);
            }
            if (tree == null || !tree.isObject()) {
                throw new IllegalArgumentException(f + " is not a compose file: its top level is not a mapping");
            }
            ObjectNode project = (ObjectNode) interpolate(tree, vars);
            ObjectNode services = project.has("services") && project.get("services").isObject()
                    ? (ObjectNode) project.get("services") : project.putObject("services");
            List<String> names = new ArrayList<>();
            services.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                ObjectNode svc = resolveExtends(f, services, name, vars, new HashSet<>());
                if (!svc.has(DIR)) {
                    svc.put(DIR, f.getParent().toString()); // relative paths are relative to the service's own file
                }
                services.set(name, svc);
            }
            for (String section : List.of("secrets", "configs")) {
                project.path(section).forEach(def -> {
                    if (def.isObject() && !def.has(DIR)) {
                        ((ObjectNode) def).put(DIR, f.getParent().toString());
                    }
                });
            }
            for (JsonNode inc : project.path("include")) {
                String path = inc.isTextual() ? inc.asText() : inc.path("path").asText("");
                if (path.isEmpty()) {
                    throw new IllegalArgumentException(f + ": an include entry names no path; write include: [other.yml]");
                }
                merge(f, project, read(f.getParent().resolve(path).normalize(), vars));
            }
            project.remove("include");
            return project;
        } finally {
            loading.remove(f);
        }
    }

    private JsonNode interpolate(JsonNode n, Interpolation vars) {
        if (n.isTextual()) {
            return TextNode.valueOf(vars.apply(n.asText()));
        }
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            it.forEachRemaining(entries::add);
            entries.forEach(e -> o.set(e.getKey(), interpolate(e.getValue(), vars)));
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, interpolate(a.get(i), vars));
            }
        }
        return n;
    }

    private ObjectNode resolveExtends(Path f, ObjectNode services, String name, Interpolation vars, Set<String> seen) {
        JsonNode svc = services.get(name);
        if (svc == null || !svc.isObject()) {
            throw new IllegalArgumentException(f + ": service '" + name + "' is not a mapping of its settings");
        }
        ObjectNode own = ((ObjectNode) svc).deepCopy();
        JsonNode ext = own.remove("extends");
        if (ext == null) {
            return own;
        }
        if (!seen.add(name)) {
            throw new IllegalArgumentException(f + ": service '" + name + "' extends itself (through " + seen
                    + "); remove the loop");
        }
        String base = ext.isTextual() ? ext.asText() : ext.path("service").asText("");
        ObjectNode baseDef;
        if (ext.has("file")) {
            Path other = f.getParent().resolve(ext.get("file").asText()).normalize();
            ObjectNode otherProject = read(other, vars);
            JsonNode b = otherProject.path("services").get(base);
            if (b == null) {
                throw new IllegalArgumentException(f + ": service '" + name + "' extends '" + base + "' of " + other
                        + ", which has no such service");
            }
            baseDef = ((ObjectNode) b).deepCopy();
        } else {
            if (!services.has(base)) {
                throw new IllegalArgumentException(f + ": service '" + name + "' extends '" + base + "', which is"
                        + " not defined in this file; add it, or name its file (extends: {service: " + base
                        + ", file: other.yml})");
            }
            baseDef = resolveExtends(f, services, base, vars, seen);
        }
        baseDef.remove("depends_on"); // as in Compose: dependencies are never inherited
        return overlay(baseDef, own);
    }

    /** {@code own} over {@code base}: mappings such as environment and labels merge, everything else is replaced. */
    static ObjectNode overlay(ObjectNode base, ObjectNode own) {
        ObjectNode out = base.deepCopy();
        own.fields().forEachRemaining(e -> {
            JsonNode b = out.get(e.getKey());
            if (b != null && b.isObject() && e.getValue().isObject()) {
                out.set(e.getKey(), overlay((ObjectNode) b, (ObjectNode) e.getValue()));
            } else {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static void merge(Path f, ObjectNode into, ObjectNode included) {
        for (String section : List.of("services", "volumes", "secrets", "configs")) {
            JsonNode from = included.get(section);
            if (from == null || !from.isObject()) {
                continue;
            }
            ObjectNode to = into.has(section) && into.get(section).isObject() ? (ObjectNode) into.get(section)
                    : into.putObject(section);
            from.fields().forEachRemaining(e -> {
                if (to.has(e.getKey())) {
                    throw new IllegalArgumentException(f + ": " + section + " '" + e.getKey() + "' is defined both"
                            + " here and in an included file; rename one (include does not override)");
                }
                to.set(e.getKey(), e.getValue());
            });
        }
    }
}
