package dev.ordo.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The test kit's assertions must fail when the engine misbehaves: checked here on hand-built reports of runs that
 * broke the rules (the engine never produces these, which is why they are built by hand).
 */
class ReportAssertTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static final Deployment D = Deployment.builder("kit").pool("p", 1)
            .service("db", x -> x.image("x:1").healthCheck(HealthCheck.tcp(1)))
            .job("migrate", j -> j.image("x:1").pool("p").dependsOn("db", Condition.HEALTHY))
            .job("seed", j -> j.image("x:1").pool("p").dependsOn("db", Condition.STARTED))
            .build();
    private static final Plan PLAN = D.plan();

    private static NodeTimeline row(String node, NodeState state, Duration requested, Duration started,
                                    Duration ready, Duration finished) {
        Node.Kind kind = D.requireNode(node).kind();
        return new NodeTimeline(node, kind, state, Optional.ofNullable(requested), Optional.ofNullable(started),
                Optional.ofNullable(ready), Optional.ofNullable(finished), OptionalInt.empty(), Optional.empty(),
                false, Optional.empty(), Optional.empty(), 0);
    }

    private static RunReport report(NodeTimeline... rows) {
        Duration end = Duration.ZERO;
        for (NodeTimeline t : rows) {
            for (Optional<Duration> d : List.of(t.requested(), t.started(), t.ready(), t.finished())) {
                if (d.isPresent() && d.get().compareTo(end) > 0) {
                    end = d.get();
                }
            }
        }
        return new RunReport("kit", RunReport.Operation.UP, "hand", Instant.EPOCH, end, List.of(rows));
    }

    private static final RunReport GOOD = report(
            row("db", NodeState.HEALTHY, s(0), s(1), s(5), null),
            row("migrate", NodeState.COMPLETED, s(5), s(5), s(8), s(8)),
            row("seed", NodeState.COMPLETED, s(8), s(8), s(9), s(9)));

    @Test
    void aGoodRunPassesEveryCheck() {
        assertThatCode(() -> ReportAssert.assertThat(GOOD).succeeded().respectsDependencies(PLAN).respectsPools(PLAN)
                .startedAt("migrate", s(5)).startedAfter("migrate", "db").within(s(9))
                .criticalPathIs("seed").hasState("db", NodeState.HEALTHY)).doesNotThrowAnyException();
    }

    @Test
    void startingBeforeAHealthyDependencyIsHealthyIsCaught() {
        RunReport early = report(
                row("db", NodeState.HEALTHY, s(0), s(1), s(5), null),
                row("migrate", NodeState.COMPLETED, s(3), s(3), s(4), s(4)),
                row("seed", NodeState.COMPLETED, s(4), s(4), s(5), s(5)));
        assertThatThrownBy(() -> ReportAssert.assertThat(early).respectsDependencies(PLAN))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'migrate' started at PT3S but 'db' was HEALTHY only at PT5S");
    }

    @Test
    void startingBeforeAStartedDependencyRunsIsCaught() {
        RunReport early = report(
                row("db", NodeState.HEALTHY, s(0), s(2), s(5), null),
                row("migrate", NodeState.COMPLETED, s(5), s(5), s(6), s(6)),
                row("seed", NodeState.COMPLETED, s(1), s(1), s(1), s(1)));
        assertThatThrownBy(() -> ReportAssert.assertThat(early).respectsDependencies(PLAN))
                .isInstanceOf(AssertionError.class).hasMessageContaining("'seed' started at PT1S")
                .hasMessageContaining("STARTED only at PT2S");
    }

    @Test
    void overlappingPoolMembersAreCaught() {
        RunReport crowded = report(
                row("db", NodeState.HEALTHY, s(0), s(0), s(1), null),
                row("migrate", NodeState.COMPLETED, s(1), s(1), s(8), s(8)),
                row("seed", NodeState.COMPLETED, s(2), s(2), s(3), s(3)));
        assertThatThrownBy(() -> ReportAssert.assertThat(crowded).respectsPools(PLAN))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("pool 'p' to run at most 1 members at once, but 2 ran at PT2S");
    }

    @Test
    void backToBackPoolMembersAreFine() {
        assertThatCode(() -> ReportAssert.assertThat(GOOD).respectsPools(PLAN)).doesNotThrowAnyException();
    }

    @Test
    void otherAssertionsFailWithTheReportAttached() {
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).startedAt("migrate", s(4)))
                .hasMessageContaining("expected 'migrate' to be started at PT4S, but it was started at PT5S")
                .hasMessageContaining("node"); // the rendered table follows
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).neverStarted("seed"))
                .hasMessageContaining("expected 'seed' never to start");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).failed())
                .hasMessageContaining("expected the run to fail, but it succeeded");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).within(s(8)))
                .hasMessageContaining("at most PT8S, but it took PT9S");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).hasState("nope", NodeState.HEALTHY))
                .hasMessageContaining("cover node 'nope'");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).failedWith("db", Failure.Reason.CRASHED))
                .hasMessageContaining("expected 'db' to fail with CRASHED, but it did not fail");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).criticalPathIs("db", "seed"))
                .hasMessageContaining("expected the critical path [db, seed], but it was [seed]");
        assertThatThrownBy(() -> ReportAssert.assertThat(GOOD).startedAfter("db", "seed"))
                .hasMessageContaining("expected 'db' to start after 'seed' was ready at PT9S, but it started at PT0S");
    }

    @Test
    void theAssertionsAreNotJustAlwaysTrue() {
        // sanity for the property tests that lean on these: a report built wrongly on purpose fails both checks
        RunReport bad = report(
                row("db", NodeState.HEALTHY, s(0), s(0), s(10), null),
                row("migrate", NodeState.COMPLETED, s(0), s(0), s(3), s(3)),
                row("seed", NodeState.COMPLETED, s(0), s(0), s(3), s(3)));
        assertThat(catchAssertion(() -> ReportAssert.assertThat(bad).respectsDependencies(PLAN))).isTrue();
        assertThat(catchAssertion(() -> ReportAssert.assertThat(bad).respectsPools(PLAN))).isTrue();
    }

    private static boolean catchAssertion(Runnable r) {
        try {
            r.run();
            return false;
        } catch (AssertionError e) {
            return true;
        }
    }
}
