package dev.ordo.dataflow;

import dev.ordo.spi.Fact;
import java.time.Instant;
import java.util.List;

/**
 * What is particular to a kind of node in its life: {@link ServiceRules} (restarts, health, liveness) or
 * {@link JobRules} (completion, retries, the active deadline). They change the node only through
 * {@link NodeLife}'s transitions.
 */
interface KindRules {
    /** A replica started (first or again): its health is watched afresh. */
    void replicaStarted(Replica x, Instant now);

    /** Every replica has started (for a job: attempt {@code attempt}). */
    void allStarted(Instant now);

    void onExited(Replica x, int code, List<String> tail);

    /** A fact only this kind knows what to do with; the node is live. */
    void on(Fact fact);

    /** The node failed: the kind's own timers end. */
    void cancelTimers();
}
