package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compose file's {@code include}s brought in as Compose v2 brings them: each entry a project of its own (its
 * files merged, its own directory and {@code .env} or {@code env_file}, under the process's environment), whose
 * resources join the including file's; one the including file defines too is merged with its definition over the
 * included one. An include loop is an error naming it.
 *
 * <pre>{@code
 * new Includes(reader).include(tree, file, projectDir);
 * }</pre>
 */
final class Includes {
    private final FileReader reader;

    Includes(FileReader reader) {
        this.reader = reader;
    }

    /** Brings {@code tree}'s {@code include} entries in: each is a project of its own, read from its directory. */
    void include(ObjectNode tree, Path file, Path base) {
        JsonNode inc = tree.remove("include");
        if (inc == null || inc.isNull()) {
            return;
        }
        if (reader.including().contains(file)) {
            throw new IllegalArgumentException(file.getFileName() + " includes itself (include cycle: "
                    + String.join(" -> ", reader.including().stream().map(p -> p.getFileName().toString()).toList()) + " -> "
                    + file.getFileName() + "); remove the loop");
        }
        reader.including().add(file);
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
            reader.including().remove(file);
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
        Map<String, String> own = new LinkedHashMap<>();
        for (Path f : envFiles) {
            own.putAll(EnvFile.read(f, reader.environment()::get));
        }
        own.putAll(reader.environment());
        Set<String> unset = new TreeSet<>();
        FileReader r = reader.forInclude(new Interpolation(own, unset::add));
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
        unset.forEach(v -> reader.warn("variable " + v + " is not set in included " + files.get(0).getFileName()
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

}
