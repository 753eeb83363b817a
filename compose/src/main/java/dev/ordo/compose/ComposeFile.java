package dev.ordo.compose;

import dev.ordo.Deployment;
import dev.ordo.ValidationException;
import dev.ordo.compose.internal.DeploymentReader;
import dev.ordo.compose.internal.ProjectLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A compose project read into an Ordo {@link dev.ordo.Deployment} as Docker Compose v2 reads it: the files
 * ({@code -f} in order, or {@code COMPOSE_FILE}, or {@code compose.yaml} with its {@code compose.override.yaml}),
 * {@code .env} (interpolated, under the environment), {@code COMPOSE_PROFILES} and {@code COMPOSE_PROJECT_NAME},
 * {@code include}, {@code extends} ({@code depends_on} included), merge rules, YAML 1.2 values, and the services
 * the active profiles enable. Every key Ordo does not honour is named: in a warning when ignoring it keeps the
 * meaning, in the error otherwise; problems say where they stand (file, line, column).
 *
 * <pre>{@code
 * ComposeImport imported = ComposeFile.at(Path.of("docker-compose.yml")).profiles("celery").load();
 * ComposeImport discovered = ComposeFile.discover(Path.of(".")).load();   // as docker compose without -f
 * Deployment clp = imported.deployment();
 * }</pre>
 */
public final class ComposeFile {
    private final List<Path> files;
    private final Optional<Path> directory;
    private final Map<String, String> env;
    private final Optional<String> projectName;
    private final Optional<List<String>> profiles;
    private final List<Path> envFiles;
    private final boolean strict;

    private ComposeFile(List<Path> files, Optional<Path> directory, Map<String, String> env,
                        Optional<String> projectName, Optional<List<String>> profiles, List<Path> envFiles,
                        boolean strict) {
        this.files = List.copyOf(files);
        this.directory = directory;
        this.env = env;
        this.projectName = projectName;
        this.profiles = profiles;
        this.envFiles = List.copyOf(envFiles);
        this.strict = strict;
    }

    /** The compose file {@code file} (and {@code more}, merged over it in order, as {@code -f a -f b}). */
    public static ComposeFile at(Path file, Path... more) {
        List<Path> all = new ArrayList<>();
        all.add(Objects.requireNonNull(file, "file == null"));
        all.addAll(Arrays.asList(more));
        return files(all);
    }

    /** The compose files {@code files}, merged in order, as {@code -f} given once for each. */
    public static ComposeFile files(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no compose file given; name one, or use ComposeFile.discover(dir)");
        }
        return new ComposeFile(files, Optional.empty(), System.getenv(), Optional.empty(), Optional.empty(),
                List.of(), false);
    }

    /**
     * The project Compose finds in {@code directory} without {@code -f}: the files {@code COMPOSE_FILE} names
     * (environment or {@code .env}), else {@code compose.yaml}, {@code compose.yml}, {@code docker-compose.yaml}
     * or {@code docker-compose.yml} there or in a directory above, with its {@code compose.override.yaml}.
     */
    public static ComposeFile discover(Path directory) {
        return new ComposeFile(List.of(), Optional.of(Objects.requireNonNull(directory, "directory == null")),
                System.getenv(), Optional.empty(), Optional.empty(), List.of(), false);
    }

    /** Interpolates with {@code variables} instead of this process's environment (the {@code .env} file still applies). */
    public ComposeFile env(Map<String, String> variables) {
        return new ComposeFile(files, directory, Map.copyOf(variables), projectName, profiles, envFiles, strict);
    }

    /** Names the project (the deployment) {@code name}, whatever the files say, as {@code docker compose -p}. */
    public ComposeFile projectName(String name) {
        return new ComposeFile(files, directory, env, Optional.of(Objects.requireNonNull(name, "name == null")),
                profiles, envFiles, strict);
    }

    /** The project directory, as {@code --project-directory}: where {@code .env} is found and paths start. */
    public ComposeFile projectDirectory(Path dir) {
        return new ComposeFile(files, Optional.of(Objects.requireNonNull(dir, "dir == null")), env, projectName,
                profiles, envFiles, strict);
    }

    /** Reads variables from {@code files} instead of the project's {@code .env}, as {@code --env-file}. */
    public ComposeFile envFiles(Path... files) {
        return new ComposeFile(this.files, directory, env, projectName, profiles, Arrays.asList(files), strict);
    }

    /**
     * Activates {@code names}, as {@code --profile} (which replaces {@code COMPOSE_PROFILES}); {@code "*"} activates
     * every profile.
     */
    public ComposeFile profiles(String... names) {
        return new ComposeFile(files, directory, env, projectName, Optional.of(List.of(names)), envFiles, strict);
    }

    /** Makes every warning an error: for CI, where an ignored key should fail the build. */
    public ComposeFile strict() {
        return new ComposeFile(files, directory, env, projectName, profiles, envFiles, true);
    }

    /**
     * Reads the project.
     *
     * @throws ComposeException naming the file, line and column of every problem found, with the fix: Compose's
     *                          own rules, the keys Ordo cannot honour, and Ordo's validation of the deployment
     */
    public ComposeImport load() {
        String what = files.isEmpty() ? "compose project in " + directory.orElseThrow()
                : "compose file " + String.join(", ", files.stream().map(Path::toString).toList());
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ProjectLoader.Loaded project;
        try {
            project = new ProjectLoader(env, warnings::add).load(files, directory, projectName, profiles, envFiles);
        } catch (IllegalArgumentException e) {
            throw new ComposeException(what, e.getMessage(), e);
        }
        DeploymentReader reader = new DeploymentReader(project, problems::add, warnings::add);
        var builder = reader.read();
        if (strict) {
            problems.addAll(warnings);
            warnings.clear();
        }
        if (!problems.isEmpty()) {
            throw new ComposeException(what, problems);
        }
        Deployment deployment;
        try {
            deployment = builder.build();
        } catch (ValidationException e) {
            // Ordo's own rules, said where the service stands in the file
            throw new ComposeException(what, e.problems().stream().map(p -> project.tree().path("services")
                    .has(p.subject()) ? project.where(p.subject(), "/services/" + p.subject()) + ": " + p.message()
                    : p.message()).toList());
        }
        return new ComposeImport(deployment, warnings, project.profiles(), reader.disabled(), project.files());
    }
}
