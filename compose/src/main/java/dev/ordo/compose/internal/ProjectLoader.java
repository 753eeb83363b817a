package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Loads a compose project as Compose v2 does: which files (the {@code -f} files in order; else
 * {@code COMPOSE_FILE}; else {@code compose.yaml}, {@code compose.yml}, {@code docker-compose.yaml} or
 * {@code docker-compose.yml} in the directory or one above it, with its {@code compose.override.yaml} if there is
 * one), the variables ({@code .env} in the project directory, its values interpolated, under the environment,
 * which wins), the project name ({@code -p}, {@code COMPOSE_PROJECT_NAME}, the last {@code name:}, the
 * directory's name), the active profiles ({@code --profile}, else {@code COMPOSE_PROFILES}), and the files read
 * ({@link FileReader}) and merged in order ({@link ComposeMerge}).
 *
 * <pre>{@code
 * ProjectLoader.Loaded p = new ProjectLoader(System.getenv(), warnings::add)
 *         .load(List.of(Path.of("compose.yaml")), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
 * p.tree();   // one services map, merged, without extends or include
 * }</pre>
 */
public final class ProjectLoader {
    /** Compose's default file names, in the order it prefers them. */
    static final List<String> DEFAULT_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml",
            "docker-compose.yml");
    /** Compose's override file names, in the order it prefers them. */
    static final List<String> OVERRIDE_FILES = List.of("compose.override.yml", "compose.override.yaml",
            "docker-compose.override.yml", "docker-compose.override.yaml");

    private final Map<String, String> environment;
    private final Consumer<String> warn;

    public ProjectLoader(Map<String, String> environment, Consumer<String> warn) {
        this.environment = Map.copyOf(environment);
        this.warn = warn;
    }

    /**
     * A loaded project.
     *
     * @param tree      one compose tree: services (each with {@link FileReader#FILE}), volumes, networks, secrets,
     *                  configs and extensions, merged, interpolated, paths absolute
     * @param name      the project name
     * @param directory the project directory
     * @param files     the compose files read, in order
     * @param profiles  the active profiles ({@code *} for every profile)
     * @param variables the variables interpolation used (the environment over {@code .env})
     * @param parsed    every file read, for where a value stands
     */
    public record Loaded(ObjectNode tree, String name, Path directory, List<Path> files, List<String> profiles,
                         Map<String, String> variables, Map<Path, YamlTree.Parsed> parsed) {
        /** {@code file:line:column} of {@code pointer} in the file service {@code service} was defined in. */
        public String where(String service, String pointer) {
            JsonNode s = tree.path("services").path(service);
            Path file = s.has(FileReader.FILE) ? Path.of(s.get(FileReader.FILE).asText()) : files.get(0);
            YamlTree.Parsed p = parsed.get(file);
            return p == null ? file.getFileName().toString() : p.where(pointer);
        }
    }

    /**
     * Loads the project.
     *
     * @param files       the {@code -f} files, in order; empty: find them as Compose does
     * @param directory   the project directory ({@code --project-directory}); empty: the first file's
     * @param projectName {@code -p}
     * @param profiles    {@code --profile} (all of them); empty: {@code COMPOSE_PROFILES}
     * @param envFiles    {@code --env-file}; empty: {@code .env} in the project directory, if there is one
     * @throws IllegalArgumentException naming the file (line and column where known) and the fix
     */
    public Loaded load(List<Path> files, Optional<Path> directory, Optional<String> projectName,
                       Optional<List<String>> profiles, List<Path> envFiles) {
        Path cwd = directory.orElse(Path.of("").toAbsolutePath()).toAbsolutePath().normalize();
        List<Path> chosen = files.isEmpty() ? discover(cwd) : files.stream()
                .map(f -> f.toAbsolutePath().normalize()).toList();
        for (Path f : chosen) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("compose file " + f + " does not exist; give the path of a compose"
                        + " file (-f compose.yaml)");
            }
        }
        Path dir = directory.map(d -> d.toAbsolutePath().normalize()).orElse(chosen.get(0).getParent());
        Map<String, String> vars = variables(dir, envFiles);
        List<String> active = profiles.orElseGet(() -> split(vars.get("COMPOSE_PROFILES")));
        Set<String> unset = new TreeSet<>();
        Interpolation interpolation = new Interpolation(vars, unset::add);
        FileReader reader = new FileReader(interpolation, environment, warn);
        String name = projectName(projectName, vars, chosen, reader, dir);
        vars.put("COMPOSE_PROJECT_NAME", name);
        ObjectNode tree = null;
        for (Path f : chosen) {
            for (ObjectNode t : reader.read(f, dir)) { // one tree per YAML document
                tree = tree == null ? (ObjectNode) ComposeMerge.settle(t) : ComposeMerge.files(tree, t);
            }
        }
        if (tree == null || tree.isEmpty()) {
            // as compose-go: an empty file may override nothing, but a project of nothing is refused
            throw new IllegalArgumentException("empty compose file: nothing is defined in " + String.join(", ",
                    chosen.stream().map(p -> p.getFileName().toString()).toList()) + "; a compose file needs at least"
                    + " services:");
        }
        RelativePaths.defaultContexts(tree, dir);
        ComposeMerge.unique(tree);
        tree.remove("name");
        unset.forEach(v -> warn.accept("variable " + v + " is not set: it stands for an empty string (set it, or"
                + " give a default: ${" + v + ":-value})"));
        return new Loaded(tree, name, dir, chosen, active, Map.copyOf(vars), Map.copyOf(reader.parsed()));
    }

    /** The files Compose picks without {@code -f}: {@code COMPOSE_FILE}, else a default file and its override. */
    private List<Path> discover(Path cwd) {
        Map<String, String> near = new LinkedHashMap<>();
        if (Files.isRegularFile(cwd.resolve(".env"))) {
            near.putAll(EnvFile.read(cwd.resolve(".env"), environment::get));
        }
        near.putAll(environment);
        String composeFile = near.get("COMPOSE_FILE");
        if (composeFile != null && !composeFile.isBlank()) {
            String sep = near.getOrDefault("COMPOSE_PATH_SEPARATOR", File.pathSeparator);
            return Arrays.stream(composeFile.split(Pattern.quote(sep))).filter(s -> !s.isBlank())
                    .map(s -> cwd.resolve(s.strip()).normalize()).toList();
        }
        for (Path d = cwd; d != null; d = d.getParent()) {
            Path found = first(d, DEFAULT_FILES);
            if (found != null) {
                List<Path> out = new ArrayList<>(List.of(found));
                long others = DEFAULT_FILES.stream().filter(n -> Files.isRegularFile(found.getParent().resolve(n)))
                        .count();
                if (others > 1) {
                    warn.accept("found several compose files in " + d + "; using " + found.getFileName()
                            + " as Compose does (name one with -f to choose)");
                }
                Path override = first(d, OVERRIDE_FILES);
                if (override != null) {
                    out.add(override);
                }
                return out;
            }
        }
        throw new IllegalArgumentException("no compose file in " + cwd + " or above it (looked for "
                + String.join(", ", DEFAULT_FILES) + "); give one with -f");
    }

    private static Path first(Path dir, List<String> names) {
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }

    /** The environment over the env files (by default {@code .env} in the project directory). */
    private Map<String, String> variables(Path dir, List<Path> envFiles) {
        Map<String, String> vars = new LinkedHashMap<>();
        List<Path> files = envFiles.isEmpty() && Files.isRegularFile(dir.resolve(".env")) ? List.of(dir.resolve(".env"))
                : envFiles;
        for (Path f : files) {
            vars.putAll(EnvFile.read(f, environment::get));
        }
        vars.putAll(environment);
        return vars;
    }

    private String projectName(Optional<String> given, Map<String, String> vars, List<Path> files, FileReader reader,
                               Path dir) {
        Optional<String> imperative = given.isPresent() ? given : Optional.ofNullable(vars.get("COMPOSE_PROJECT_NAME"))
                .filter(s -> !s.isBlank());
        if (imperative.isPresent()) {
            String n = imperative.get();
            if (!normalize(n).equals(n)) {
                throw new IllegalArgumentException("project name '" + n + "' (" + (given.isPresent() ? "-p"
                        : "COMPOSE_PROJECT_NAME") + ") is invalid: use lower-case letters, digits, '-' and '_',"
                        + " starting with a letter or digit (e.g. '" + normalize(n) + "')");
            }
            return n;
        }
        String fromFiles = "";
        for (Path f : files) {
            for (JsonNode root : reader.parse(f).documents()) {
                // Ordo's export keeps the name in x-ordo (docker-compose 1.x refuses a top-level name): name: wins
                JsonNode name = root.path("name").isTextual() ? root.get("name")
                        : root.path(ComposeNames.EXTENSION).path("name");
                if (name.isTextual() && !name.asText().isBlank()) {
                    fromFiles = reader.interpolation().apply(name.asText());
                }
            }
        }
        String n = normalize(fromFiles.isBlank() ? String.valueOf(dir.getFileName()) : fromFiles);
        if (n.isEmpty()) {
            throw new IllegalArgumentException("the project has no name Compose can use (directory '" + dir
                    + "'); give one with name: in the file or -p NAME");
        }
        return n;
    }

    /** Compose's project-name normalization: lower case, only [a-z0-9_-], no leading '_' or '-'. */
    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "").replaceAll("^[_-]+", "");
    }

    private static List<String> split(String profiles) {
        if (profiles == null || profiles.isBlank()) {
            return List.of();
        }
        return Arrays.stream(profiles.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
