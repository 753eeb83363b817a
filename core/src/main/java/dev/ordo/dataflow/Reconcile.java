package dev.ordo.dataflow;

import dev.ordo.Job;
import dev.ordo.Service;
import dev.ordo.dataflow.Flow.Arc;
import dev.ordo.spi.ObservedNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Keep or recreate, decided once before an {@code up} starts anything, from what the backend observed: a running
 * service with an unchanged configuration hash is kept; a changed one is recreated, and with it every dependent that
 * asked {@code restart(true)}; a job that completed with the same configuration is not run again unless asked.
 */
final class Reconcile {
    private Reconcile() {
    }

    /**
     * Marks each node to keep or recreate; returns the jobs kept as completed (already in phase COMPLETED).
     *
     * @param lives in start order, so that a dependency's decision is known before its dependents'
     */
    static List<NodeLife> decide(Collection<NodeLife> lives, Map<String, ObservedNode> observed, boolean rerunJobs) {
        for (NodeLife r : lives) {
            ObservedNode o = observed.get(r.node.name());
            if (o == null) {
                continue;
            }
            boolean changed = !o.configHash().equals(r.node.configHash());
            boolean recreate = changed && r.node instanceof Job;
            for (Arc a : r.wait.in) {
                // only a node that exists can be recreated; one created now needs no restart for its dependencies
                recreate |= a.restart && (a.from.recreate || replaced(a.from, observed));
            }
            r.decide(r.node instanceof Service && !changed && !recreate && o.isRunning(), recreate);
        }
        List<NodeLife> keptJobs = new ArrayList<>();
        for (NodeLife r : lives) {
            ObservedNode o = observed.get(r.node.name());
            if (r.node instanceof Job && !r.recreate && !rerunJobs && o != null
                    && o.configHash().equals(r.node.configHash()) && o.state() == ObservedNode.State.EXITED
                    && o.exitCode().orElse(-1) == 0) {
                r.keptAsCompleted();
                keptJobs.add(r);
            }
        }
        return keptJobs;
    }

    /** Whether this up creates the node's containers anew (not there, changed, or a stopped service). */
    private static boolean replaced(NodeLife r, Map<String, ObservedNode> observed) {
        ObservedNode o = observed.get(r.node.name());
        return o == null || !o.configHash().equals(r.node.configHash()) || !o.isRunning() && r.node instanceof Service;
    }
}
