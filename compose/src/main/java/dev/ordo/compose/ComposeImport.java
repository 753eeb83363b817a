package dev.ordo.compose;

import dev.ordo.Deployment;
import dev.ordo.Selection;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a compose project became: the deployment of the services the active profiles enable, a warning for each key
 * Ordo ignored (never silently), the active profiles and the services they leave out.
 *
 * <pre>{@code
 * ComposeImport imported = ComposeFile.at(Path.of("compose.yaml")).profiles("debug").load();
 * imported.warnings().forEach(System.err::println);
 * Orchestrator.using(docker).up(imported.deployment().plan(imported.selection()));
 * }</pre>
 *
 * @param deployment the deployment: every service the active profiles enable, nothing else
 * @param warnings   one line per ignored key, unset variable or mapped value, naming where it stands
 * @param profiles   the active profiles ({@code --profile} or {@code COMPOSE_PROFILES}; {@code *} for all)
 * @param disabled   the services the active profiles leave out, each with its profiles, in file order
 * @param files      the compose files read, in the order they were merged
 */
public record ComposeImport(Deployment deployment, List<String> warnings, List<String> profiles,
                            Map<String, List<String>> disabled, List<Path> files) {
    public ComposeImport {
        Objects.requireNonNull(deployment, "deployment == null");
        warnings = List.copyOf(warnings);
        profiles = List.copyOf(profiles);
        disabled = Collections.unmodifiableMap(new LinkedHashMap<>(disabled));
        files = List.copyOf(files);
    }

    /** A deployment with its warnings and nothing left out (no profiles, one unnamed file). */
    public ComposeImport(Deployment deployment, List<String> warnings) {
        this(deployment, warnings, List.of(), Map.of(), List.of());
    }

    /** The selection that plans every service of {@link #deployment()}: the active profiles. */
    public Selection selection() {
        if (profiles.contains("*")) {
            return Selection.allProfiles();
        }
        Set<String> used = deployment.profiles();
        return Selection.profiles(profiles.stream().filter(used::contains).toArray(String[]::new));
    }
}
