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
        for (JsonNode doc : p.documents()) {
            if (!doc.isObject()) {
                throw new IllegalArgumentException(file.getFileName() + " is not a compose file: its top-level object"
                        + " must be a mapping (services: ...)");
            }
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
     * {@code file} read, one tree per YAML document (Compose merges the documents of a file in order, as it merges
     * {@code -f} files; an empty file has none): each interpolated, its relative paths resolved against
     * {@code base}, its {@code include}s brought in and then its {@code extends} resolved (compose-go v2.13's order,
     * so that a service may extend an included one); the marks of {@code !reset}/{@code !override} are left for the
     * merge. Build contexts left out are not defaulted here: the project's directory is the default once every
     * file is merged ({@link RelativePaths#defaultContexts}).
     */
    List<ObjectNode> read(Path file, Path base) {
        List<ObjectNode> layers = new ArrayList<>();
        YamlTree.Parsed p = parse(file);
        for (JsonNode doc : p.documents()) {
            ObjectNode tree = interpolated(doc, p);
            RelativePaths.project(tree, base);
            tagServices(tree, file);
            include(tree, file, base);
            extend(tree, file, base);
            layers.add(tree);
        }
        return layers;
    }

    /** The documents of {@code file} merged into one tree, interpolated and checked; for {@code extends}. */
    private ObjectNode interpolated(Path file) {
        YamlTree.Parsed p = parse(file);
        if (p.documents().isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + " is empty; a compose file needs at least"
                    + " services:");
        }
        ObjectNode tree = null;
        for (JsonNode doc : p.documents()) {
            ObjectNode t = interpolated(doc, p);
            tree = tree == null ? t : ComposeMerge.files(tree, t);
        }
        return tree;
    }

    private ObjectNode interpolated(JsonNode doc, YamlTree.Parsed p) {
        ObjectNode tree = doc.deepCopy();
        interpolate(tree, "", p);
        checkShapes(tree, p);
        return tree;
    }

    /** {@code n} without the mark of {@code !override}; missing for {@code !reset}. */
    private static JsonNode unmarked(JsonNode n) {
        if (n.isObject() && n.size() == 1 && n.has(YamlTree.OVERRIDE)) {
            return n.get(YamlTree.OVERRIDE);
        }
        if (n.isObject() && n.size() == 1 && n.has(YamlTree.RESET)) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return n;
    }

    /** Compose's top-level keys (compose-spec's schema); any other is refused, as Compose v2 refuses it. */
    private static final java.util.Set<String> TOP_LEVEL = java.util.Set.of("version", "name", "include",
            "services", "networks", "volumes", "secrets", "configs", "models");

    /**
     * What compose-go refuses in a file's shape before it reads values: top-level keys that are not Compose's (a
     * version 1 file, whose services stand at the top level), a {@code name} that is not a string, networks,
     * volumes, secrets and configs that are not mappings, a service's {@code image} that is not a string, an
     * {@code environment} that is neither a mapping nor a list (or holds a list or mapping as a value, or a
     * {@code KEY =} with a blank before '='); and the deprecated {@code external: {name: N}}, which becomes
     * {@code name: N} with {@code external: true} (refused when {@code name} says otherwise), as compose-go's
     * canonical form has it.
     */
    private void checkShapes(ObjectNode tree, YamlTree.Parsed p) {
        tree.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL.contains(k) && !k.startsWith("x-")) {
                throw new IllegalArgumentException(p.where("/" + k) + ": top-level key '" + k + "' is not a Compose"
                        + " key (Compose v2 refuses it: Additional property " + k + " is not allowed); a version 1"
                        + " file? Compose v2 reads services under services:");
            }
        });
        JsonNode name = tree.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new IllegalArgumentException(p.where("/name") + ": name must be a string (the project's name)");
        }
        for (String section : List.of("networks", "volumes", "secrets", "configs")) {
            JsonNode defs = tree.get(section);
            if (defs == null || defs.isNull()) {
                continue;
            }
            if (!defs.isObject()) {
                throw new IllegalArgumentException(p.where("/" + section) + ": " + section + " must be a mapping");
            }
            defs.fields().forEachRemaining(e -> {
                String at = section + "." + e.getKey();
                JsonNode def = e.getValue();
                if (!def.isNull() && !def.isObject()) {
                    throw new IllegalArgumentException(p.where("/" + section + "/" + e.getKey()) + ": " + at
                            + " must be a mapping");
                }
                if (def.isObject() && def.path("external").isObject()) {
                    ObjectNode d = (ObjectNode) def;
                    JsonNode extName = d.get("external").get("name");
                    d.put("external", true);
                    if (extName != null) {
                        if (d.has("name") && !d.get("name").equals(extName)) {
                            throw new IllegalArgumentException(p.where("/" + section + "/" + e.getKey()) + ": " + at
                                    + ": name and external.name conflict; only use name");
                        }
                        d.set("name", extName);
                        warn.accept(p.where("/" + section + "/" + e.getKey()) + ": " + at + ": external.name is"
                                + " deprecated; set name: " + extName.asText() + " and external: true");
                    }
                }
            });
        }
        JsonNode services = tree.path("services");
        services.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            String at = "/services/" + e.getKey();
            JsonNode image = unmarked(s.path("image"));
            if (!image.isMissingNode() && !image.isNull() && !image.isValueNode()) {
                throw new IllegalArgumentException(p.where(at + "/image") + ": services." + e.getKey()
                        + ".image must be a string (NAME:TAG)");
            }
            JsonNode env = unmarked(s.path("environment"));
            if (env.isObject()) {
                env.fields().forEachRemaining(v -> {
                    if (v.getValue().isContainerNode()) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment." + v.getKey() + " must be a string, number, boolean or null");
                    }
                });
            } else if (env.isArray()) {
                for (JsonNode v : env) {
                    String entry = v.asText();
                    int eq = entry.indexOf('=');
                    String key = eq < 0 ? entry : entry.substring(0, eq);
                    if (!v.isValueNode()) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment: each entry of the list is KEY=VALUE (or KEY), not " + v);
                    }
                    if (!key.equals(key.stripTrailing())) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment: variable '" + key + "' is declared with a trailing space (write "
                                + key.strip() + "=VALUE, without blanks around '=')");
                    }
                }
            } else if (!env.isMissingNode() && !env.isNull()) {
                throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                        + ".environment must be a mapping (KEY: value) or a list (- KEY=value)");
            }
        });
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
                    o.set(k, cast(child, apply(v.asText(), child, p), p));
                } else {
                    interpolate(v, child, p);
                }
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, cast(pointer + "/" + i, apply(a.get(i).asText(), pointer + "/" + i, p), p));
                } else {
                    interpolate(a.get(i), pointer + "/" + i, p);
                }
            }
        }
    }

    private static final String SERVICE = "/services/[^/]+/";
    /** The booleans of compose-go's interpolation cast table (loader/interpolate.go), as JSON pointers. */
    private static final java.util.regex.Pattern BOOLEANS = java.util.regex.Pattern.compile(SERVICE
            + "(init|privileged|read_only|stdin_open|tty|oom_kill_disable|healthcheck/disable"
            + "|depends_on/[^/]+/(required|restart)|volumes/\\d+/(read_only|volume/nocopy))"
            + "|/networks/[^/]+/(external|internal|attachable|enable_ipv4|enable_ipv6)"
            + "|/(volumes|secrets|configs)/[^/]+/external");
    /** Its integers. */
    private static final java.util.regex.Pattern INTEGERS = java.util.regex.Pattern.compile(SERVICE
            + "(cpu_count|cpu_period|cpu_quota|cpu_rt_period|cpu_rt_runtime|cpu_shares|oom_score_adj|pids_limit"
            + "|scale|healthcheck/retries|ports/\\d+/target|ulimits/[^/]+(/(hard|soft))?"
            + "|deploy/(replicas|(update_config|rollback_config)/parallelism|restart_policy/max_attempts"
            + "|placement/max_replicas_per_node))");

    /**
     * A string value where Compose expects a boolean or an integer, as compose-go's interpolation casts it: an
     * interpolated {@code "${REPLICAS}"} becomes a number, and YAML 1.1's {@code yes}/{@code no}/{@code on}/
     * {@code off} a boolean (with a warning, as Compose gives one). Anything else stays a string.
     */
    private JsonNode cast(String pointer, String value, YamlTree.Parsed p) {
        if (BOOLEANS.matcher(pointer).matches()) {
            switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> {
                    return com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
                }
                case "false" -> {
                    return com.fasterxml.jackson.databind.node.BooleanNode.FALSE;
                }
                case "y", "yes", "on", "n", "no", "off" -> {
                    boolean b = value.toLowerCase(java.util.Locale.ROOT).matches("y|yes|on");
                    warn.accept(p.where(pointer) + ": '" + value + "' for a boolean is YAML 1.1; Compose reads it as "
                            + b + " (write " + b + ")");
                    return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(b);
                }
                default -> throw new IllegalArgumentException(p.where(pointer) + ": invalid boolean: " + value
                        + " (write true or false)");
            }
        }
        if (INTEGERS.matcher(pointer).matches()) {
            try {
                return com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(p.where(pointer) + ": '" + value + "' is not an integer", e);
            }
        }
        return TextNode.valueOf(value);
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

    /**
     * Resolves the {@code extends} of {@code tree}'s services. A relative {@code extends.file} is read from
     * {@code dir}: the project directory for the project's own files (compose-go reads it through the project's
     * resource loader), the extended file's own directory for the files it extends in turn (compose-go resolves
     * {@code extends.file} among that file's relative paths).
     */
    private void extend(ObjectNode tree, Path file, Path dir) {
        JsonNode services = tree.get("services");
        if (services == null || !services.isObject()) {
            return;
        }
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            ((ObjectNode) services).set(name, resolve((ObjectNode) services, name, file, dir));
        }
    }

    /** Service {@code name} of {@code services} (of {@code file}) with its {@code extends} resolved. */
    private ObjectNode resolve(ObjectNode services, String name, Path file, Path dir) {
        JsonNode svc = services.get(name);
        if (svc == null || svc.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!svc.isObject()) {
            throw new IllegalArgumentException(parse(file).where("/services/" + name) + ": services." + name
                    + " must be a mapping of the service's settings");
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
                Path other = dir.resolve(ext.get("file").asText()).normalize();
                ObjectNode otherTree = interpolated(other);
                RelativePaths.project(otherTree, other.getParent()); // the base's paths are its own file's
                tagServices(otherTree, other);
                JsonNode otherServices = otherTree.path("services");
                if (!otherServices.has(ref)) {
                    throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "' of " + other.getFileName() + ", which defines no such"
                            + " service" + dev.ordo.spi.support.Suggestions.didYouMean(ref, fieldNames(otherServices)));
                }
                base = resolve((ObjectNode) otherServices, ref, other, other.getParent());
            } else {
                if (!services.has(ref)) {
                    throw new IllegalArgumentException(parse(file).where("/services/" + name + "/extends") + ": service '"
                            + name + "' extends '" + ref + "', which this file does not define"
                            + dev.ordo.spi.support.Suggestions.didYouMean(ref, fieldNames(services))
                            + "; define it, or name its file (extends: {service: " + ref + ", file: other.yml})");
                }
                base = resolve(services, ref, file, dir);
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
                merge(tree, included);
            }
        } finally {
            including.remove(file);
        }
    }

    /**
     * An included project: its files merged as {@code -f} files are, interpolated with its own env files under the
     * process's environment (which wins), its paths relative to its own directory, build contexts left out
     * defaulting to that directory, and an {@code environment} entry given as a bare {@code KEY} taking its value
     * from those variables (compose-go resolves them in the included project, so an include's {@code env_file}
     * reaches its own services and no other).
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
            for (ObjectNode t : r.read(f, dir)) {
                merged = merged == null ? (ObjectNode) ComposeMerge.settle(t) : ComposeMerge.files(merged, t);
            }
        }
        if (merged == null) {
            throw new IllegalArgumentException(files.get(0).getFileName() + " (included) is empty; an included file"
                    + " needs at least services:");
        }
        RelativePaths.defaultContexts(merged, dir);
        resolveBareEnvironment(merged, own);
        unset.forEach(v -> warn.accept("variable " + v + " is not set in included " + files.get(0).getFileName()
                + ": it stands for an empty string (set it, or give a default: ${" + v + ":-value})"));
        return merged;
    }

    /** {@code - KEY} entries of list-form environments with a value in {@code vars} become {@code KEY=value}. */
    private static void resolveBareEnvironment(ObjectNode tree, Map<String, String> vars) {
        tree.path("services").forEach(s -> {
            JsonNode env = s.path("environment");
            if (env.isArray()) {
                ArrayNode a = (ArrayNode) env;
                for (int i = 0; i < a.size(); i++) {
                    String e = a.get(i).asText();
                    if (a.get(i).isTextual() && !e.contains("=") && vars.containsKey(e)) {
                        a.set(i, TextNode.valueOf(e + "=" + vars.get(e)));
                    }
                }
            }
        });
    }

    private static List<Path> envFiles(JsonNode entry, Path base, Path dir) {
        List<Path> out = new ArrayList<>();
        for (JsonNode e : ServiceReader.list(entry.path("env_file"))) {
            if (!e.asText().equals("/dev/null")) {
                out.add(base.resolve(e.asText()).normalize());
            }
        }
        if (ServiceReader.list(entry.path("env_file")).isEmpty() && Files.isRegularFile(dir.resolve(".env"))) {
            out.add(dir.resolve(".env"));
        }
        return out;
    }

    /**
     * The included resources into {@code into}. One {@code into} defines as well is merged: the including file's
     * definition laid over the included one, its {@code !override} and {@code !reset} honoured (compose-go since
     * v2.10, "allow importing compose file to override resource definition").
     */
    private static void merge(ObjectNode into, ObjectNode included) {
        for (String section : List.of("services", "volumes", "networks", "secrets", "configs")) {
            JsonNode from = included.get(section);
            if (from == null || !from.isObject()) {
                continue;
            }
            ObjectNode to = into.has(section) && into.get(section).isObject() ? (ObjectNode) into.get(section)
                    : into.putObject(section);
            from.fields().forEachRemaining(e -> {
                JsonNode mine = to.get(e.getKey());
                JsonNode merged = mine == null ? e.getValue() : ComposeMerge.resource(section, e.getValue(), mine);
                if (merged == null) {
                    to.remove(e.getKey()); // !reset
                } else {
                    to.set(e.getKey(), merged);
                }
            });
        }
    }

    Interpolation interpolation() {
        return vars;
    }
}
