package dev.ordo.run;

/**
 * What {@code up} does after a node fails. Dependents of a failed node never start, whatever the policy.
 *
 * <pre>{@code
 * Orchestrator.using(backend).failurePolicy(FailurePolicy.TEAR_DOWN).up(plan);
 * }</pre>
 */
public enum FailurePolicy {
    /** Start nothing new; let nodes already starting settle; leave everything running for inspection. */
    STOP_SCHEDULING,
    /** Keep starting every node that does not depend on a failed one. */
    CONTINUE,
    /** Start nothing new, then stop and remove every node this run started, in reverse dependency order. */
    TEAR_DOWN
}
