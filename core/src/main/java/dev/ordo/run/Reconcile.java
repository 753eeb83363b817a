package dev.ordo.run;

import dev.ordo.Job;
import dev.ordo.Service;
import dev.ordo.run.NodeRecord.Arc;
import dev.ordo.run.NodeRecord.Phase;
import dev.ordo.spi.ObservedNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

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
            for (Arc a : r.in) {
                // only a node that exists can be recreated; one created now needs no restart for its dependencies
                if (a.restart && (a.from.recreate || replaced(a.from, observed))) {
                    r.recreate = true;
                }
            }
            if (changed && r.node instanceof Job) {
                r.recreate = true;
            }
            r.keep = r.node instanceof Service && !changed && !r.recreate && o.isRunning();
        }
        List<NodeLife> keptJobs = new ArrayList<>();
        for (NodeLife r : lives) {
            ObservedNode o = observed.get(r.node.name());
            if (r.node instanceof Job && !r.recreate && !rerunJobs && o != null
                    && o.configHash().equals(r.node.configHash()) && o.state() == ObservedNode.State.EXITED
                    && o.exitCode().orElse(-1) == 0) {
                r.reused = true;
                r.exitCode = OptionalInt.of(0);
                r.phase = Phase.COMPLETED;
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
