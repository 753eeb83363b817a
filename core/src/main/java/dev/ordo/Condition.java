package dev.ordo;

import java.util.Locale;

/**
 * What must hold of a dependency before its dependent may start.
 *
 * <pre>{@code
 * .service("webui", s -> s.dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
 * }</pre>
 */
public enum Condition {
    /** The dependency's containers (or pods) are running. For a job, also satisfied once it has completed. */
    STARTED,
    /** The dependency's health check passes on every replica. Only services with a health check qualify. */
    HEALTHY,
    /** The dependency is a job that exited with code 0. */
    COMPLETED_SUCCESSFULLY;

    /** The lower-case label used in exports, as in the CLP figure: {@code healthy}, {@code completed_successfully}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
