package dev.ordo.run;

/**
 * Where a node ended up in a run.
 *
 * <pre>{@code
 * assert report.node("webui").state() == NodeState.HEALTHY;
 * }</pre>
 */
public enum NodeState {
    /** Never started and never ruled out: the run ended first. */
    PENDING,
    /** Running (a service without health check, or a job still running when the run ended). */
    STARTED,
    /** Running and passing its health check. */
    HEALTHY,
    /** Was healthy, then failed its health check. */
    UNHEALTHY,
    /** A job that exited with code 0. */
    COMPLETED,
    /** Failed: see {@link NodeTimeline#failure()}. */
    FAILED,
    /** Never started, because of a failure elsewhere or a drained pool: see {@link NodeTimeline#failure()}. */
    SKIPPED,
    /** Stopped, containers kept. */
    STOPPED,
    /** Stopped and removed. */
    REMOVED;

    /** Whether this state counts as a failure of the run. */
    public boolean isFailure() {
        return this == FAILED || this == SKIPPED || this == UNHEALTHY || this == PENDING;
    }
}
