package dev.ordo.run;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a living deployment keeps what must survive the JVM holding it ({@link LivingState}): give the same store to
 * the next holder ({@link Orchestrator#stateStore}) and it knows which fires it missed, and catches up on them as
 * each trigger's {@link dev.ordo.CatchUp} says. Without a store (the default) nothing is kept.
 *
 * <pre>{@code
 * LiveDeployment live = Orchestrator.using(docker).stateStore(StateStore.files(Path.of("/var/lib/ordo")))
 *         .start(plan);
 * }</pre>
 */
public interface StateStore {
    /** What was kept of {@code deployment}, or empty when nothing was. */
    Optional<LivingState> load(String deployment);

    /** Keeps {@code state}, replacing what was kept for its deployment; a crash leaves the old or the new, whole. */
    void save(LivingState state);

    /**
     * One JSON file per deployment under {@code directory} ({@code <deployment>.state.json}), written to a temporary
     * file, forced to disk and renamed over the old one, so that a crash never leaves a torn record.
     */
    static StateStore files(Path directory) {
        return new FileStateStore(Objects.requireNonNull(directory, "directory == null"));
    }

    /** Keeps nothing: a holder that starts again knows of no earlier fire. The default. */
    static StateStore none() {
        return NoStateStore.INSTANCE;
    }
}
