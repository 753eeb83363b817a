package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads compose files one at a time as Compose v2 does before it merges them: the YAML ({@link YamlTree}), every
 * string interpolated, relative paths made absolute ({@link RelativePaths}), each service's {@code extends}
 * resolved (same file or another, recursively, {@code depends_on} included) and its {@code include}s brought in.
 * Every file read is kept ({@link #parsed()}) so that messages can say where a value stands.
 *
 * <pre>{@code
 * FileReader r = new FileReader(interpolation, warnings::add);
 * ObjectNode tree = r.read(Path.of("compose.yaml"), projectDir);
 * }</pre>
 */
final class FileReader {
    /** Where each service was defined, for messages; never written out. */
    static final String FILE = "x-ordo-file";

    private final Interpolation vars;
    private final Consumer<String> warn;
    private final Map<Path, YamlTree.Parsed> parsed;
    private final Set<String> resolving = new LinkedHashSet<>();
    private final List<Path> including;
    private final Map<String, String> environment;

    /**
     * A reader interpolating with {@code vars}; {@code environment} is the process's own, which an included
     * project's variables start from.
     */
    FileReader(Interpolation vars, Map<String, String> environment, Consumer<String> warn) {
        this(vars, environment, warn, new HashMap<>(), new ArrayList<>());
    }

    private FileReader(Interpolation vars, Map<String, String> environment, Consumer<String> warn,
                       Map<Path, YamlTree.Parsed> parsed, List<Path> including) {
        this.vars = vars;
        this.environment = environment;
        this.warn = warn;
        this.parsed = parsed;
        this.including = including;
    }

    /** A reader for an included project: its own variables, the files read and the include chain shared. */
    FileReader forInclude(Interpolation includedVars) {
        return new FileReader(includedVars, environment, warn, parsed, including);
    }

    /** Every file read so far, by path. */
    Map<Path, YamlTree.Parsed> parsed() {
        return parsed;
    }

    /** The raw tree of {@code file}, parsed once; {@code null} for an empty file. */
    YamlTree.Parsed parse(Path file) {
        YamlTree.Parsed p = parsed.get(file);
        if (p != null) {
            return p;
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read compose file " + file + " (" + e.getMessage() + ")", e);
        }
        p = YamlTree.parse(file, text);
        parsed.put(file, p);
        if (p.root() != null && !p.root().isObject()) {
            throw new IllegalArgumentException(file.getFileName() + " is not a compose file: its top level is not a"
                    + " mapping (services: ...)");
        }
        for (String at : p.base60()) {
            if (at.matches("/services/[^/]+/ports/[0-9]+")) {
                warn.accept(p.where(at) + ": port '" + p.root().at(at).asText() + "' is unquoted; Compose v2 and"
                        + " Ordo read it as written, but YAML 1.1 tools (docker-compose 1.x) read it as a base-60"
                        + " number: quote it, \"" + p.root().at(at).asText() + "\"");
            }
        }
        return p;
    }

    /**
     * {@code file} read and interpolated, its relative paths resolved against {@code base}, its {@code extends}
     * and {@code include} resolved; the marks of {@code !reset}/{@code !override} are left for the merge.
     */
    ObjectNode read(Path file, Path base) {
        ObjectNode tree = interpolated(file);
        RelativePaths.project(tree, base);
        tagServices(tree, file);
        extend(tree, file);
        include(tree, file, base);
        return tree;
    }

    private ObjectNode interpolated(Path file) {
        YamlTree.Parsed p = parse(file);
        if (p.root() == null) {
            throw new IllegalArgumentException(file.getFileName() + " is empty; a compose file needs at least"
                    + " services:");
        }
        ObjectNode tree = p.root().deepCopy();
        interpolate(tree, "", p);
        return tree;
    }

    private void interpolate(JsonNode n, String pointer, YamlTree.Parsed p) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                String child = pointer + "/" + k.replace("~", "~0").replace("/", "~1");
                if (v.isTextual()) {
                    o.set(k, TextNode.valueOf(apply(v.asText(), child, p)));
                } else {
                    interpolate(v, child, p);
                }
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(apply(a.get(i).asText(), pointer + "/" + i, p)));
                } else {
                    interpolate(a.get(i), pointer + "/" + i, p);
                }
            }
        }
    }

    private String apply(String text, String pointer, YamlTree.Parsed p) {
        try {
            return vars.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p.where(pointer) + ": " + e.getMessage(), e);
        }
    }

    private static void tagServices(ObjectNode tree, Path file) {
        JsonNode services = tree.get("services");
        if (services != null && services.isObject()) {
            services.forEach(s -> {
                if (s.isObject() && !s.has(FILE)) {
                    ((ObjectNode) s).put(FILE, file.toString());
                }
            });
        } else if (services != null && !services.isNull()) {
            throw new IllegalArgumentException(file.getFileName() + ": services must be a mapping of service names"
                    + " to their settings");
        }
    }

    private void extend(ObjectNode tree, Path file) {
        JsonNode services = tree.get("services");
        if (services == null || !services.isObject()) {
            return;
        }
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            ((ObjectNode) services).set(name, resolve((ObjectNode) services, name, file));
        }
    }

    /** Service {@code name} of {@code services} (of {@code file}) with its {@code extends} resolved. */
    private ObjectNode resolve(ObjectNode services, String name, Path file) {
        JsonNode svc = services.get(name);
        if (svc == null || svc.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!svc.isObject()) {
            throw new IllegalArgumentException(parse(file).where("/services/" + name) + ": service '" + name
                    + "' must be a mapping of its settings");
        }
        JsonNode ext = svc.get("extends");
        if (ext == null) {
            return (ObjectNode) svc;
        }
        String key = file + "#" + name;
        if (!resolving.add(key)) {
            throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                    + name + "' extends itself through " + String.join(" -> ", resolving) + "; remove the loop");
        }
        try {
            String ref = ext.isTextual() ? ext.asText() : ext.path("service").asText("");
            if (ref.isEmpty()) {
                throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                        + name + "' extends nothing; write extends: {service: NAME} (and file: OTHER.yml)");
            }
            ObjectNode base;
            if (ext.isObject() && ext.hasNonNull("file")) {
                Path other = file.getParent().resolve(ext.get("file").asText()).normalize();
                ObjectNode otherTree = interpolated(other);
                RelativePaths.project(otherTree, other.getParent()); // the base's paths are its own file's
                tagServices(otherTree, other);
                JsonNode otherServices = otherTree.path("services");
                if (!otherServices.has(ref)) {
                    throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "' of " + other.getFileName() + ", which defines no such"
                            + " service" + dev.ordo.spi.support.Suggestions.didYouMean(ref, fieldNames(otherServices)));
                }
                base = resolve((ObjectNode) otherServices, ref, other);
            } else {
                if (!services.has(ref)) {
                    throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "', which this file does not define"
                            + dev.ordo.spi.support.Suggestions.didYouMean(ref, fieldNames(services))
                            + "; define it, or name its file (extends: {service: " + ref + ", file: other.yml})");
                }
                base = resolve(services, ref, file);
                services.set(ref, base);
            }
            ObjectNode own = ((ObjectNode) svc).deepCopy();
            own.remove("extends");
            base = base.deepCopy();
            base.remove(FILE);
            return ComposeMerge.extend(base, own);
        } finally {
            resolving.remove(key);
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Brings {@code tree}'s {@code include} entries in: each is a project of its own, read from its directory. */
    private void include(ObjectNode tree, Path file, Path base) {
        JsonNode inc = tree.remove("include");
        if (inc == null || inc.isNull()) {
            return;
        }
        if (including.contains(file)) {
            throw new IllegalArgumentException(file.getFileName() + " includes itself (include cycle: "
                    + String.join(" -> ", including.stream().map(p -> p.getFileName().toString()).toList()) + " -> "
                    + file.getFileName() + "); remove the loop");
        }
        including.add(file);
        try {
            for (JsonNode entry : ServiceReader.list(inc)) {
                List<Path> files = new ArrayList<>();
                JsonNode paths = entry.isTextual() ? entry : entry.path("path");
                for (JsonNode p : ServiceReader.list(paths)) {
                    files.add(base.resolve(p.asText()).normalize());
                }
                if (files.isEmpty()) {
                    throw new IllegalArgumentException(file.getFileName() + ": an include entry names no path;"
                            + " write include: [other.yml]");
                }
                Path dir = entry.hasNonNull("project_directory")
                        ? base.resolve(entry.get("project_directory").asText()).normalize() : files.get(0).getParent();
                ObjectNode included = includedProject(files, dir, envFiles(entry, base, dir));
                merge(file, tree, included);
            }
        } finally {
            including.remove(file);
        }
    }

    /**
     * An included project: its files merged as {@code -f} files are, interpolated with its own env files under the
     * process's environment (which wins), its paths relative to its own directory.
     */
    private ObjectNode includedProject(List<Path> files, Path dir, List<Path> envFiles) {
        Map<String, String> own = new java.util.LinkedHashMap<>();
        for (Path f : envFiles) {
            own.putAll(EnvFile.read(f, environment::get));
        }
        own.putAll(environment);
        java.util.Set<String> unset = new java.util.TreeSet<>();
        FileReader r = forInclude(new Interpolation(own, unset::add));
        ObjectNode merged = null;
        for (Path f : files) {
            ObjectNode t = r.read(f, dir);
            merged = merged == null ? (ObjectNode) ComposeMerge.settle(t) : ComposeMerge.files(merged, t);
        }
        unset.forEach(v -> warn.accept("variable " + v + " is not set in included " + files.get(0).getFileName()
                + ": it stands for an empty string (set it, or give a default: ${" + v + ":-value})"));
        return merged;
    }

    private static List<Path> envFiles(JsonNode entry, Path base, Path dir) {
        List<Path> out = new ArrayList<>();
        for (JsonNode e : ServiceReader.list(entry.path("env_file"))) {
            out.add(base.resolve(e.asText()).normalize());
        }
        if (out.isEmpty() && Files.isRegularFile(dir.resolve(".env"))) {
            out.add(dir.resolve(".env"));
        }
        return out;
    }

    private void merge(Path file, ObjectNode into, ObjectNode included) {
        for (String section : List.of("services", "volumes", "networks", "secrets", "configs")) {
            JsonNode from = included.get(section);
            if (from == null || !from.isObject()) {
                continue;
            }
            ObjectNode to = into.has(section) && into.get(section).isObject() ? (ObjectNode) into.get(section)
                    : into.putObject(section);
            from.fields().forEachRemaining(e -> {
                JsonNode mine = to.get(e.getKey());
                if (mine != null && !sameIgnoringOrigin(mine, e.getValue())) {
                    throw new IllegalArgumentException(parse(file).where("/" + section + "/" + e.getKey()) + ": "
                            + section.substring(0, section.length() - 1) + " '" + e.getKey() + "' is defined both here"
                            + " and in an included file, differently; rename one (include does not override)");
                }
                to.set(e.getKey(), e.getValue());
            });
        }
    }

    private static boolean sameIgnoringOrigin(JsonNode a, JsonNode b) {
        if (a.isObject() && b.isObject()) {
            ObjectNode x = ((ObjectNode) a).deepCopy();
            ObjectNode y = ((ObjectNode) b).deepCopy();
            x.remove(FILE);
            y.remove(FILE);
            return x.equals(y);
        }
        return a.equals(b);
    }

    Interpolation interpolation() {
        return vars;
    }
}
