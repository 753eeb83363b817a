package dev.ordo.compose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.OrdoException;
import dev.ordo.compose.internal.DeploymentReader;
import dev.ordo.compose.internal.ProjectLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code docker-compose.yml} read into an Ordo {@link dev.ordo.Deployment}: services, {@code depends_on} with
 * {@code condition}/{@code required}/{@code restart}, health checks, profiles, replicas, restart policies, volumes,
 * secrets and configs, {@code environment} and {@code env_file}, {@code ${VAR:-default}} interpolation (from the
 * {@code .env} beside the file and the environment), {@code include} and {@code extends}. A service is a job when a
 * dependent waits for it with {@code service_completed_successfully}, or when labelled {@code dev.ordo.kind: job}.
 * Every key Ordo does not support is named: in a warning when ignoring it keeps the meaning, in the error otherwise.
 *
 * <pre>{@code
 * ComposeImport imported = ComposeFile.at(Path.of("docker-compose.yml")).load();
 * Deployment clp = imported.deployment();
 * }</pre>
 */
public final class ComposeFile {
    private final Path file;
    private final Map<String, String> env;
    private final Optional<String> projectName;
    private final boolean strict;

    private ComposeFile(Path file, Map<String, String> env, Optional<String> projectName, boolean strict) {
        this.file = file;
        this.env = env;
        this.projectName = projectName;
        this.strict = strict;
    }

    /** The compose file at {@code file}, interpolated with this process's environment. */
    public static ComposeFile at(Path file) {
        return new ComposeFile(Objects.requireNonNull(file, "file == null"), System.getenv(), Optional.empty(), false);
    }

    /** Interpolates with {@code variables} instead of this process's environment (the {@code .env} file still applies). */
    public ComposeFile env(Map<String, String> variables) {
        return new ComposeFile(file, Map.copyOf(variables), projectName, strict);
    }

    /** Names the deployment {@code name}, whatever the file says (as {@code docker compose -p}). */
    public ComposeFile projectName(String name) {
        return new ComposeFile(file, env, Optional.of(name), strict);
    }

    /** Makes every warning an error: for CI, where an ignored key should fail the build. */
    public ComposeFile strict() {
        return new ComposeFile(file, env, projectName, true);
    }

    /**
     * Reads the file.
     *
     * @throws OrdoException naming the file and every problem found (each with its service and key, and the fix);
     *                       a {@link dev.ordo.ValidationException} when the deployment it describes is invalid
     */
    public ComposeImport load() {
        if (!Files.isRegularFile(file)) {
            throw new OrdoException("compose file " + file + " does not exist; give the path of a docker-compose.yml");
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ObjectNode project;
        try {
            project = new ProjectLoader(env, warnings::add).load(file);
        } catch (IllegalArgumentException e) {
            throw new OrdoException("compose file " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().normalize().getParent();
        String fallback = projectName.orElse(dir.getFileName() == null ? "compose" : dir.getFileName().toString());
        if (projectName.isPresent()) {
            project.put("name", projectName.get());
        }
        var builder = new DeploymentReader(project, dir, fallback, problems::add, warnings::add).read();
        if (strict) {
            problems.addAll(warnings);
            warnings.clear();
        }
        if (!problems.isEmpty()) {
            throw new OrdoException("compose file " + file + " cannot be run by Ordo as it is:\n  - "
                    + String.join("\n  - ", problems));
        }
        return new ComposeImport(builder.build(), warnings);
    }
}
