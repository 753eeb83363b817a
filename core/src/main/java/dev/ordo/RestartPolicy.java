package dev.ordo;

/**
 * What the backend does when a service's container exits, with the meaning Docker and Compose give these names.
 *
 * <pre>{@code
 * .service("worker", s -> s.image("worker:1").restart(RestartPolicy.ON_FAILURE))
 * RestartPolicy.ON_FAILURE.restartsAfter(0);   // false
 * }</pre>
 */
public enum RestartPolicy {
    /** Never restart. */
    NO,
    /** Restart when the process exits with a non-zero code. */
    ON_FAILURE,
    /** Restart always, unless the node was stopped on purpose. */
    UNLESS_STOPPED,
    /** Restart always. */
    ALWAYS;

    /** Whether a container that exited with {@code exitCode} by itself (not stopped on purpose) is restarted. */
    public boolean restartsAfter(int exitCode) {
        return this == ALWAYS || this == UNLESS_STOPPED || this == ON_FAILURE && exitCode != 0;
    }
}
