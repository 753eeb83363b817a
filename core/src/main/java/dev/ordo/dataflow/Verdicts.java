package dev.ordo.dataflow;

import dev.ordo.Job;
import dev.ordo.run.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The words of core's verdicts: each failure names the node, what it did, the evidence (exit code, last probe, last
 * line of output) and what the user can do about it. The rules decide; this class only says it.
 */
final class Verdicts {
    private Verdicts() {
    }

    /** The node was not ready within the per-node timeout {@code limit}. */
    static Failure notReadyInTime(NodeLife life, Duration limit) {
        String what;
        if (life.node instanceof Job j && (j.activeDeadline().isPresent() || life.flow.run.isPresent())) {
            what = "was not running within " + Flow.human(limit) + " of being started";
        } else if (life.node instanceof Job) {
            what = "did not finish within " + Flow.human(limit) + " of being started";
        } else {
            what = (life.node.hasHealthCheck() ? "was not healthy" : "was not running") + " within "
                    + Flow.human(limit) + " of being started";
        }
        Replica last = null;
        for (Replica r : life.replicas) {
            if (r.lastExit() != null) {
                last = r;
            }
        }
        String history = life.restarts == 0 || last == null ? "" : "; it restarted " + life.restarts
                + " times, last exit code " + last.lastExit();
        String probe = "";
        for (Replica r : life.replicas) {
            if (r.running() && !r.passed() && !r.lastProbe().isBlank()) {
                probe = " (last probe: '" + r.lastProbe().strip() + "')";
            }
        }
        List<String> tail = last == null ? List.copyOf(life.output) : last.lastTail();
        return new Failure(Failure.Reason.TIMEOUT, life.what() + " " + what + history + probe + lastLine(tail)
                + "; raise the per-node timeout (Orchestrator.timeout, or the runner's --timeout) or find out what"
                + " it waits for in its logs",
                last == null ? OptionalInt.empty() : OptionalInt.of(last.lastExit()), tail, Optional.empty());
    }

    static String lastProbe(Replica x) {
        return x.lastProbe().isBlank() ? "" : " (last probe: '" + x.lastProbe().strip() + "')";
    }

    static String lastLine(List<String> tail) {
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (!tail.get(i).isBlank()) {
                return "; last output: '" + tail.get(i).strip() + "'";
            }
        }
        return "";
    }
}
