package dev.ordo.spi;

/**
 * Where a backend reports the {@link Fact facts} it observes. The engine implements it; calls may come from any
 * thread and return at once. Facts of one node must be reported in the order they happened.
 *
 * <pre>{@code
 * events.report(new Fact.Started("database", 1, false));
 * events.report(new Fact.Probed("database", 1, true, "exit code 0", Duration.ofMillis(20)));
 * }</pre>
 */
@FunctionalInterface
public interface NodeEvents {
    /** Reports one fact. */
    void report(Fact fact);
}
