package dev.ordo.compose;

import dev.ordo.Deployment;
import java.util.List;
import java.util.Objects;

/**
 * What a compose file became: the deployment, and a warning for each key Ordo ignored (never silently).
 *
 * <pre>{@code
 * ComposeImport imported = ComposeFile.at(Path.of("docker-compose.yml")).load();
 * imported.warnings().forEach(System.err::println);
 * Orchestrator.using(docker).up(imported.deployment().plan());
 * }</pre>
 *
 * @param deployment the deployment
 * @param warnings   one line per ignored key or unset variable, naming the service and the key
 */
public record ComposeImport(Deployment deployment, List<String> warnings) {
    public ComposeImport {
        Objects.requireNonNull(deployment, "deployment == null");
        warnings = List.copyOf(warnings);
    }
}
