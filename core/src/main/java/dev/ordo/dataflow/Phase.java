package dev.ordo.dataflow;

import dev.ordo.Condition;

/** Where a node is in its life during a run, as core tracks it, and what each phase means for the nodes around it. */
enum Phase {
    WAITING, POOL_WAIT, STARTING, STARTED, HEALTHY, UNHEALTHY, COMPLETED, FAILED, SKIPPED, STOPPED, REMOVED;

    /** Not started yet: waiting for its dependencies or for a slot of its pool. */
    boolean waiting() {
        return this == WAITING || this == POOL_WAIT;
    }

    /** Asked to run and not given a final verdict yet. */
    boolean live() {
        return this == STARTING || this == STARTED || this == HEALTHY || this == UNHEALTHY;
    }

    /** Whether a dependent's condition {@code c} holds of a node in this phase. */
    boolean meets(Condition c) {
        return switch (c) {
            case STARTED -> this == STARTED || this == HEALTHY || this == UNHEALTHY || this == COMPLETED;
            case HEALTHY -> this == HEALTHY;
            case COMPLETED_SUCCESSFULLY -> this == COMPLETED;
        };
    }
}
