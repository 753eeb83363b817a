package dev.ordo.dataflow;

import dev.ordo.spi.Launch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a node waits for before it may start, as the {@link Flow} sees it: its edges, how many conditions still have
 * to hold, which one held last (what gated it), how many nodes wait on it in a chain (its priority), what core asked
 * the backend to stage for it, and whether it holds a slot of its pool.
 */
final class NodeWait {
    final List<Flow.Arc> in = new ArrayList<>(2);
    final List<Flow.Arc> out = new ArrayList<>(2);
    private int pending;
    private int priority;
    private String gatedBy;
    private Launch staged;
    private boolean holdsSlot;

    /** One more dependency to wait for. */
    void awaitDependency() {
        pending++;
    }

    /** A dependency's condition held; returns whether nothing is left to wait for. */
    boolean dependencyMet(String by) {
        pending--;
        gatedBy = by;
        return pending == 0;
    }

    boolean dependenciesMet() {
        return pending == 0;
    }

    /** The dependency whose condition held last: what the node waited for longest. */
    Optional<String> gatedBy() {
        return Optional.ofNullable(gatedBy);
    }

    int priority() {
        return priority;
    }

    /** At least {@code p} nodes wait on it in a chain: it starts before nodes with fewer. */
    void atLeastPriority(int p) {
        priority = Math.max(priority, p);
    }

    Launch staged() {
        return staged;
    }

    void stage(Launch launch) {
        staged = launch;
    }

    /** What was staged for it, which core now starts or removes; null when nothing was. */
    Launch takeStaged() {
        Launch l = staged;
        staged = null;
        return l;
    }

    boolean holdsSlot() {
        return holdsSlot;
    }

    void holdSlot(boolean holds) {
        holdsSlot = holds;
    }
}
