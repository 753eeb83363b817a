package dev.ordo.testing;

import dev.ordo.Condition;
import dev.ordo.Node;
import dev.ordo.Pool;
import dev.ordo.Edge;
import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fluent assertions on a {@link RunReport}, with failure messages that show the report. Works with any test
 * framework: a failed assertion throws {@link AssertionError}.
 *
 * <pre>{@code
 * ReportAssert.assertThat(report)
 *     .succeeded()
 *     .respectsDependencies(plan)
 *     .startedAt("webui", Duration.ofSeconds(25))
 *     .startedAfter("webui", "db-table-creator")
 *     .criticalPathIs("database", "db-table-creator", "webui")
 *     .within(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ReportAssert {
    private final RunReport report;

    private ReportAssert(RunReport report) {
        this.report = Objects.requireNonNull(report, "report == null");
    }

    /** Starts assertions on {@code report}. */
    public static ReportAssert assertThat(RunReport report) {
        return new ReportAssert(report);
    }

    private AssertionError fail(String message) {
        return new AssertionError(message + "\n\n" + report.render());
    }

    private NodeTimeline node(String name) {
        if (!report.covers(name)) {
            throw fail("expected the report to cover node '" + name + "', but it does not");
        }
        return report.node(name);
    }

    /** Every node reached its goal. */
    public ReportAssert succeeded() {
        if (!report.succeeded()) {
            throw fail("expected the run to succeed, but " + report.failures().size() + " node(s) failed");
        }
        return this;
    }

    /** At least one node failed. */
    public ReportAssert failed() {
        if (report.succeeded()) {
            throw fail("expected the run to fail, but it succeeded");
        }
        return this;
    }

    /** {@code node} ended in {@code state}. */
    public ReportAssert hasState(String node, NodeState state) {
        NodeTimeline t = node(node);
        if (t.state() != state) {
            throw fail("expected '" + node + "' to end " + state + ", but it ended " + t.state());
        }
        return this;
    }

    /** {@code node} was started (requested) exactly {@code at} after the run began. */
    public ReportAssert startedAt(String node, Duration at) {
        Optional<Duration> requested = node(node).requested();
        if (requested.isEmpty() || !requested.get().equals(at)) {
            throw fail("expected '" + node + "' to be started at " + at + ", but it was started at "
                    + requested.map(Duration::toString).orElse("no time (never)"));
        }
        return this;
    }

    /** {@code node} was started only after {@code dependency} was ready (healthy, started or completed). */
    public ReportAssert startedAfter(String node, String dependency) {
        Duration start = node(node).requested().orElseThrow(() -> fail("expected '" + node + "' to start, but it never did"));
        Duration ready = node(dependency).ready().orElseThrow(() -> fail("expected '" + dependency
                + "' to become ready before '" + node + "' started, but it never became ready"));
        if (start.compareTo(ready) < 0) {
            throw fail("expected '" + node + "' to start after '" + dependency + "' was ready at " + ready
                    + ", but it started at " + start);
        }
        return this;
    }

    /** {@code node} never started in this run. */
    public ReportAssert neverStarted(String node) {
        NodeTimeline t = node(node);
        if (t.requested().isPresent() || t.started().isPresent()) {
            throw fail("expected '" + node + "' never to start, but it was started at " + t.requested().orElseThrow());
        }
        return this;
    }

    /** {@code node} failed (or was skipped) and its failure message contains {@code text}. */
    public ReportAssert failedBecause(String node, String text) {
        Failure f = node(node).failure().orElseThrow(() -> fail("expected '" + node + "' to fail because of '" + text
                + "', but it did not fail"));
        if (!f.message().contains(text)) {
            throw fail("expected the failure of '" + node + "' to mention '" + text + "', but it says: " + f.message());
        }
        return this;
    }

    /** {@code node} failed (or was skipped) for {@code reason}. */
    public ReportAssert failedWith(String node, Failure.Reason reason) {
        Failure f = node(node).failure().orElseThrow(() -> fail("expected '" + node + "' to fail with " + reason
                + ", but it did not fail"));
        if (f.reason() != reason) {
            throw fail("expected '" + node + "' to fail with " + reason + ", but it failed with " + f.reason());
        }
        return this;
    }

    /** The whole run took at most {@code limit}. */
    public ReportAssert within(Duration limit) {
        if (report.duration().compareTo(limit) > 0) {
            throw fail("expected the run to take at most " + limit + ", but it took " + report.duration());
        }
        return this;
    }

    /** The run's critical path is exactly {@code nodes}. */
    public ReportAssert criticalPathIs(String... nodes) {
        if (!report.criticalPath().equals(List.of(nodes))) {
            throw fail("expected the critical path " + List.of(nodes) + ", but it was " + report.criticalPath());
        }
        return this;
    }

    /**
     * No node of {@code plan} was started before every condition it depends on held: the engine's core promise.
     */
    public ReportAssert respectsDependencies(Plan plan) {
        List<String> violations = new ArrayList<>();
        for (Edge e : plan.edges()) {
            NodeTimeline dependent = report.node(e.dependent());
            Optional<Duration> start = dependent.requested();
            if (start.isEmpty() || dependent.reused()) {
                continue;
            }
            NodeTimeline dep = report.node(e.dependency());
            Optional<Duration> held = e.condition() == Condition.STARTED
                    ? dep.started().or(dep::ready) : dep.ready();
            if (dep.reused() && dep.requested().isEmpty()) {
                continue;
            }
            if (held.isEmpty() || start.get().compareTo(held.get()) < 0) {
                violations.add("'" + e.dependent() + "' started at " + start.get() + " but '" + e.dependency()
                        + "' was " + e.condition() + " only at " + held.map(Duration::toString).orElse("no time"));
            }
        }
        if (!violations.isEmpty()) {
            throw fail("expected every node to start after its conditions held, but:\n  " + String.join("\n  ", violations));
        }
        return this;
    }

    /** At no instant did more members of a pool run than it has slots (a member runs from start to finish). */
    public ReportAssert respectsPools(Plan plan) {
        for (Pool pool : plan.deployment().pools().values()) {
            List<Duration[]> spans = new ArrayList<>();
            for (Node n : plan.nodes()) {
                if (n.pool().filter(pool.name()::equals).isPresent()) {
                    NodeTimeline t = report.node(n.name());
                    t.requested().ifPresent(s -> spans.add(new Duration[] {s,
                            t.finished().orElse(Duration.ofDays(365_000))}));
                }
            }
            for (Duration[] span : spans) {
                long overlapping = spans.stream().filter(o -> o[0].compareTo(span[0]) <= 0 && o[1].compareTo(span[0]) > 0)
                        .count();
                if (overlapping > pool.slots()) {
                    throw fail("expected pool '" + pool.name() + "' to run at most " + pool.slots() + " members at once,"
                            + " but " + overlapping + " ran at " + span[0]);
                }
            }
        }
        return this;
    }
}
