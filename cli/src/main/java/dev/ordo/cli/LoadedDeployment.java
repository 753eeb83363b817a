package dev.ordo.cli;

import dev.ordo.Deployment;
import java.util.List;

/**
 * A deployment the runner loaded, with what loading it skipped (an ignored compose key, an invalid schedule entry),
 * one line each, which the runner prints as warnings.
 *
 * <pre>{@code
 * LoadedDeployment l = UserDeployment.fromFile(Path.of("Shop.java"));
 * l.warnings().forEach(w -> err.println("ordo: warning: " + w));
 * }</pre>
 *
 * @param deployment the deployment
 * @param warnings   what was skipped while loading it
 */
record LoadedDeployment(Deployment deployment, List<String> warnings) {
    LoadedDeployment {
        warnings = List.copyOf(warnings);
    }
}
