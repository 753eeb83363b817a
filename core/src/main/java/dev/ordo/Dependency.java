package dev.ordo;

import java.util.Objects;

/**
 * An edge from a dependent node to the node it needs, with the condition that must hold.
 *
 * <pre>{@code
 * Dependency.on("mcp-server", Condition.STARTED).required(false)   // ignored when mcp-server is disabled
 * Dependency.on("database", Condition.HEALTHY).restart(true)       // restart me when database is recreated
 * }</pre>
 *
 * @param target    name of the node depended on
 * @param condition what must hold of the target
 * @param required  when false, the dependency is ignored if its target is disabled by the selected profiles
 * @param restart   when true, the dependent is recreated whenever its target is recreated by {@code up}
 */
public record Dependency(String target, Condition condition, boolean required, boolean restart) {
    public Dependency {
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(condition, "condition == null");
    }

    /** A required dependency that does not restart its dependent. */
    public static Dependency on(String target, Condition condition) {
        return new Dependency(target, condition, true, false);
    }

    /** This dependency, required or optional. */
    public Dependency required(boolean required) {
        return new Dependency(target, condition, required, restart);
    }

    /** This dependency, asking (or not) for the dependent to be recreated when the target is recreated. */
    public Dependency restart(boolean restart) {
        return new Dependency(target, condition, required, restart);
    }
}
