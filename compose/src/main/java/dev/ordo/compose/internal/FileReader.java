package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
            new Includes(this).include(tree, file, base);
            new ExtendsResolver(this).extend(tree, file, base);
            layers.add(tree);
        }
        return layers;
    }

    /** The documents of {@code file} merged into one tree, interpolated and checked; for {@code extends}. */
    ObjectNode interpolated(Path file) {
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
        new TypedInterpolation(vars, warn).interpolate(tree, "", p);
        ShapeChecks.check(tree, p, warn);
        return tree;
    }

    static void tagServices(ObjectNode tree, Path file) {
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

    Interpolation interpolation() {
        return vars;
    }

    /** The process's environment, which an included project's variables start from. */
    Map<String, String> environment() {
        return environment;
    }

    /** The include chain being read, shared with the readers of included projects. */
    List<Path> including() {
        return including;
    }

    void warn(String warning) {
        warn.accept(warning);
    }
}
