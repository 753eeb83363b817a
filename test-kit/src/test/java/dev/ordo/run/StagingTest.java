package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Plan;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Core's staging rule (Staging.stage): a node is staged once every node it depends on has been asked to start, only
 * when it will be created anew, never started early, and every staged node is either started or unstaged.
 */
class StagingTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Optional<Action> first(SimulatedBackend sim, Action.Kind kind, String node) {
        return sim.history().stream().filter(a -> a.kind() == kind && a.node().equals(node)).findFirst();
    }

    private static List<String> nodes(SimulatedBackend sim, Action.Kind kind) {
        return sim.history().stream().filter(a -> a.kind() == kind).map(Action::node).toList();
    }

    /** Every staged node was started or unstaged after its staging, exactly once. */
    private static void everyStagedNodeIsStartedOrUnstaged(SimulatedBackend sim) {
        List<Action> h = sim.history();
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i).kind() != Action.Kind.STAGE) {
                continue;
            }
            String node = h.get(i).node();
            long ends = h.subList(i + 1, h.size()).stream().filter(a -> a.node().equals(node)
                    && (a.kind() == Action.Kind.START || a.kind() == Action.Kind.UNSTAGE)).count();
            assertThat(ends).as("what became of staged node '%s'", node).isGreaterThanOrEqualTo(1);
            assertThat(h.subList(i + 1, h.size()).stream().filter(a -> a.node().equals(node)
                    && a.kind() == Action.Kind.UNSTAGE).count()).as("unstagings of '%s'", node).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aNodeIsStagedWhileItsDependencyStartsAndStartedOnlyWhenItsConditionHolds() {
        Deployment d = Deployment.builder("chain")
                .service("db", x -> x.image("x:1").healthCheck(HealthCheck.command("ready").interval(s(1)).retries(20)))
                .job("migrate", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .service("app", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        Plan plan = d.plan();
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", s(5)).exitsAfter("migrate", s(3), 0);
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan)
                .startedAt("migrate", s(5)).startedAt("app", s(8));
        assertThat(first(sim, Action.Kind.STAGE, "db")).as("a node that waits for nothing starts at once").isEmpty();
        // staged as soon as db was asked to start, long before db is healthy
        assertThat(first(sim, Action.Kind.STAGE, "migrate")).get().extracting(Action::at).isEqualTo(s(0));
        // app waits for migrate, which is asked to start only at 5 s: not staged before that
        assertThat(first(sim, Action.Kind.STAGE, "app")).get().extracting(Action::at).isEqualTo(s(5));
        assertThat(nodes(sim, Action.Kind.UNSTAGE)).isEmpty();
        everyStagedNodeIsStartedOrUnstaged(sim);
    }

    @Test
    void aNodeWithSeveralDependenciesIsStagedWhenTheLastOfThemIsAskedToStart() {
        Deployment d = Deployment.builder("join")
                .job("a", x -> x.image("x:1"))
                .job("b", x -> x.image("x:1").dependsOn("a", Condition.COMPLETED_SUCCESSFULLY))
                .service("c", x -> x.image("x:1").dependsOn("a", Condition.STARTED)
                        .dependsOn("b", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("a", s(2), 0).exitsAfter("b", s(4), 0);
        RunReport report = Orchestrator.using(sim).up(d.plan());

        ReportAssert.assertThat(report).succeeded().startedAt("b", s(2)).startedAt("c", s(6));
        assertThat(first(sim, Action.Kind.STAGE, "c")).get().extracting(Action::at).isEqualTo(s(2));
        everyStagedNodeIsStartedOrUnstaged(sim);
    }

    @Test
    void aStagedNodeWhoseDependencyFailsIsUnstaged() {
        Deployment d = Deployment.builder("fails")
                .job("migrate", x -> x.image("x:1"))
                .service("app", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .service("ui", x -> x.image("x:1").dependsOn("app", Condition.STARTED))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(3), 1);
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.CONTINUE).up(d.plan());

        assertThat(report.node("app").state()).isEqualTo(NodeState.SKIPPED);
        assertThat(nodes(sim, Action.Kind.STAGE)).containsExactly("app");
        assertThat(first(sim, Action.Kind.UNSTAGE, "app")).get().extracting(Action::at).isEqualTo(s(3));
        assertThat(nodes(sim, Action.Kind.START)).containsExactly("migrate");
        everyStagedNodeIsStartedOrUnstaged(sim);
    }

    @Test
    void aStagedNodeIsUnstagedWhenTheUpStopsScheduling() {
        Deployment d = Deployment.builder("stops")
                .job("bad", x -> x.image("x:1"))
                .service("slow", x -> x.image("x:1").healthCheck(HealthCheck.command("ready").interval(s(1)).retries(20)))
                .service("after", x -> x.image("x:1").dependsOn("slow", Condition.HEALTHY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("bad", s(1), 2).readyAfter("slow", s(10));
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.STOP_SCHEDULING).up(d.plan());

        assertThat(report.node("after").state()).isEqualTo(NodeState.SKIPPED);
        assertThat(first(sim, Action.Kind.UNSTAGE, "after")).get().extracting(Action::at).isEqualTo(s(1));
        assertThat(first(sim, Action.Kind.START, "after")).isEmpty();
        everyStagedNodeIsStartedOrUnstaged(sim);
    }

    @Test
    void keptNodesAreNeverStagedAndAChangedNodeIs() {
        Deployment.Builder b = Deployment.builder("again")
                .service("db", x -> x.image("x:1"))
                .service("app", x -> x.image("x:1").dependsOn("db", Condition.STARTED));
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(b.build().plan());
        int before = sim.history().size();

        RunReport again = Orchestrator.using(sim).up(b.build().plan());
        assertThat(again.node("app").state()).isEqualTo(NodeState.STARTED);
        assertThat(sim.history().subList(before, sim.history().size())).extracting(Action::kind)
                .doesNotContain(Action.Kind.STAGE, Action.Kind.START);

        // app changed, db did not: db is kept, app (to be created anew) is staged meanwhile
        Deployment changed = Deployment.builder("again")
                .service("db", x -> x.image("x:1"))
                .service("app", x -> x.image("x:2").dependsOn("db", Condition.STARTED))
                .build();
        int mark = sim.history().size();
        Orchestrator.using(sim).up(changed.plan());
        assertThat(sim.history().subList(mark, sim.history().size())).filteredOn(a -> a.kind() == Action.Kind.STAGE)
                .extracting(Action::node).containsExactly("app");
        everyStagedNodeIsStartedOrUnstaged(sim);
    }
}
