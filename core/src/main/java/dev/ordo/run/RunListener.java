package dev.ordo.run;

/**
 * Receives a run's progress as it happens, on the engine's thread: keep it quick.
 *
 * <pre>{@code
 * Orchestrator.using(backend)
 *     .listener(e -> System.out.println(e.at() + " " + e.node() + " " + e.type()))
 *     .up(plan);
 * }</pre>
 */
@FunctionalInterface
public interface RunListener {
    /** Ignores everything. */
    RunListener NONE = e -> { };

    /** Called once per event, in order. */
    void onEvent(RunEvent event);
}
