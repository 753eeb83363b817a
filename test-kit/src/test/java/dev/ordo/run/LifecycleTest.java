package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Plan;
import dev.ordo.spi.ObservedNode;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** down, stop, idempotent up, status and listeners. */
class LifecycleTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /** db <- api <- web, db <- worker, cache alone, migrate (job) <- api. */
    private static final Deployment APP = Deployment.builder("app")
            .service("db", x -> x.image("postgres:16").healthCheck(HealthCheck.tcp(5432).interval(s(1)))
                    .volume("db-data", "/var/lib/postgresql/data"))
            .service("cache", x -> x.image("redis:7"))
            .job("migrate", j -> j.image("app:1").dependsOn("db", Condition.HEALTHY))
            .service("api", x -> x.image("app:1").dependsOn("db", Condition.HEALTHY)
                    .dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
            .service("worker", x -> x.image("app:1").dependsOn("db", Condition.HEALTHY))
            .service("web", x -> x.image("web:1").dependsOn("api", Condition.STARTED))
            .build();

    private static List<Action> since(SimulatedBackend sim, int mark) {
        List<Action> h = sim.history();
        return h.subList(mark, h.size());
    }

    private static List<Action> kind(List<Action> actions, Action.Kind kind) {
        return actions.stream().filter(a -> a.kind() == kind).toList();
    }

    private static Map<String, Action> byNode(List<Action> actions) {
        return actions.stream().collect(Collectors.toMap(Action::node, Function.identity(), (a, b) -> b));
    }

    @Test
    void downIsTheReversePartialOrderWithIndependentNodesInParallel() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(APP.plan()).throwIfFailed();
        Duration t = sim.elapsed();
        int mark = sim.history().size();
        sim.stopsAfter("web", s(4)).stopsAfter("worker", s(1)).stopsAfter("api", s(2)).stopsAfter("cache", s(7));
        RunReport down = ordo.down(APP);

        assertThat(down.operation()).isEqualTo(RunReport.Operation.DOWN);
        ReportAssert.assertThat(down).succeeded();
        Map<String, Action> removes = byNode(kind(since(sim, mark), Action.Kind.REMOVE));
        assertThat(removes.keySet()).containsExactlyInAnyOrder("db", "cache", "migrate", "api", "worker", "web");
        // nothing depends on web, worker, cache: they are asked to stop at once, in parallel
        assertThat(removes.get("web").at()).isEqualTo(t);
        assertThat(removes.get("worker").at()).isEqualTo(t);
        assertThat(removes.get("cache").at()).isEqualTo(t);
        // api waits for web (4 s); migrate for api (2 s more); db for api, worker and migrate
        assertThat(removes.get("api").at()).isEqualTo(t.plus(s(4)));
        assertThat(removes.get("migrate").at()).isEqualTo(t.plus(s(6)));
        assertThat(removes.get("db").at()).isEqualTo(t.plus(s(6)));
        assertThat(down.node("web").finished()).contains(s(4));
        assertThat(down.node("worker").finished()).contains(s(1));
        assertThat(down.node("cache").finished()).contains(s(7));
        assertThat(down.node("api").finished()).contains(s(6));
        assertThat(down.node("db").finished()).contains(s(6));
        assertThat(down.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeState.REMOVED));
        assertThat(down.duration()).isEqualTo(s(7));
        assertThat(since(sim, mark).get(since(sim, mark).size() - 1).kind()).isEqualTo(Action.Kind.RELEASE);
        assertThat(ordo.status(APP)).isEmpty();
    }

    @Test
    void aStopLongerThanTheGracePeriodIsCutShort() {
        Deployment d = Deployment.builder("grace")
                .service("db", x -> x.image("x:1"))
                .service("api", x -> x.image("x:1").dependsOn("db").stopGracePeriod(s(3)))
                .build();
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(d.plan()).throwIfFailed();
        sim.stopsAfter("api", s(60));
        RunReport down = Orchestrator.using(sim).down(d);
        assertThat(down.node("api").finished()).contains(s(3));
        assertThat(down.node("db").finished()).contains(s(3));
    }

    @Test
    void downKeepsVolumesUnlessAskedToRemoveThem() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        assertThat(sim.hasVolume(APP, "db-data")).isFalse();
        ordo.up(APP.plan()).throwIfFailed();
        assertThat(sim.hasVolume(APP, "db-data")).isTrue();
        ordo.down(APP);
        assertThat(sim.hasVolume(APP, "db-data")).isTrue();
        assertThat(sim.history().get(sim.history().size() - 1).detail()).isEqualTo("volumes kept");
        ordo.up(APP.plan()).throwIfFailed();
        ordo.down(APP, DownOptions.defaults().removeVolumes(true));
        assertThat(sim.hasVolume(APP, "db-data")).isFalse();
        assertThat(sim.history().get(sim.history().size() - 1).detail()).isEqualTo("volumes removed");
    }

    @Test
    void stopKeepsContainersAndALaterUpBringsThemBack() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(APP.plan()).throwIfFailed();
        int mark = sim.history().size();
        RunReport stop = ordo.stop(APP);
        assertThat(stop.operation()).isEqualTo(RunReport.Operation.STOP);
        // the completed job is not running, so there is nothing to stop
        assertThat(kind(since(sim, mark), Action.Kind.STOP)).extracting(Action::node)
                .containsExactlyInAnyOrder("db", "cache", "api", "worker", "web");
        assertThat(kind(since(sim, mark), Action.Kind.REMOVE)).isEmpty();
        assertThat(stop.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeState.STOPPED));
        // stop is ordered too: db only after api and worker
        Map<String, Action> stops = byNode(kind(since(sim, mark), Action.Kind.STOP));
        assertThat(sim.history().indexOf(stops.get("db"))).isGreaterThan(sim.history().indexOf(stops.get("api")))
                .isGreaterThan(sim.history().indexOf(stops.get("worker")));

        List<NodeStatus> status = ordo.status(APP);
        assertThat(status).extracting(NodeStatus::node)
                .containsExactlyInAnyOrder("db", "cache", "migrate", "api", "worker", "web");
        assertThat(status).allSatisfy(st -> {
            assertThat(st.state()).isEqualTo(ObservedNode.State.EXITED);
            assertThat(st.defined()).isTrue();
            assertThat(st.upToDate()).isTrue();
        });

        mark = sim.history().size();
        RunReport up = ordo.up(APP.plan());
        ReportAssert.assertThat(up).succeeded().respectsDependencies(APP.plan());
        assertThat(kind(since(sim, mark), Action.Kind.START)).extracting(Action::node)
                .containsExactlyInAnyOrder("db", "cache", "api", "worker", "web");
        assertThat(up.node("migrate").reused()).isTrue();
        assertThat(ordo.status(APP)).filteredOn(st -> !st.node().equals("migrate"))
                .allSatisfy(st -> assertThat(st.state()).isIn(ObservedNode.State.RUNNING, ObservedNode.State.HEALTHY));
    }

    @Test
    void aSecondUpKeepsEverything() {
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(3), 0);
        Orchestrator ordo = Orchestrator.using(sim);
        RunReport first = ordo.up(APP.plan());
        ReportAssert.assertThat(first).succeeded();
        assertThat(first.nodes()).noneMatch(NodeTimeline::reused);
        int mark = sim.history().size();

        RunReport second = ordo.up(APP.plan());
        ReportAssert.assertThat(second).succeeded();
        assertThat(kind(since(sim, mark), Action.Kind.START)).isEmpty();
        assertThat(kind(since(sim, mark), Action.Kind.REMOVE)).isEmpty();
        assertThat(kind(since(sim, mark), Action.Kind.KEEP)).extracting(Action::node)
                .containsExactlyInAnyOrder("db", "cache", "api", "worker", "web");
        assertThat(second.nodes()).allSatisfy(n -> assertThat(n.reused()).as(n.node()).isTrue());
        assertThat(second.node("db").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(second.node("migrate").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(second.duration()).isZero(); // nothing waited for: the job is not re-run
    }

    @Test
    void aSecondUpDoesNotReRunAJobThatWaitsForAnotherCompletedJob() {
        Deployment d = Deployment.builder("chain")
                .job("migrate", j -> j.image("app:1"))
                .job("seed", j -> j.image("app:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .service("api", x -> x.image("app:1").dependsOn("seed", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(2), 0).exitsAfter("seed", s(2), 0);
        Orchestrator.using(sim).up(d.plan()).throwIfFailed();
        int mark = sim.history().size();
        List<RunEvent> events = new ArrayList<>();
        RunReport again = Orchestrator.using(sim).listener(events::add).up(d.plan());
        ReportAssert.assertThat(again).succeeded().neverStarted("migrate").neverStarted("seed");
        assertThat(kind(since(sim, mark), Action.Kind.START)).isEmpty();
        assertThat(again.nodes()).allSatisfy(t -> assertThat(t.reused()).as(t.node()).isTrue());
        assertThat(events).extracting(e -> e.type() + " " + e.node())
                .containsExactly("KEPT migrate", "KEPT seed", "STARTING api", "KEPT api");
    }

    @Test
    void completedJobsAreReRunOnlyWhenAsked() {
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(3), 0);
        Orchestrator.using(sim).up(APP.plan()).throwIfFailed();
        int mark = sim.history().size();
        RunReport again = Orchestrator.using(sim).rerunCompletedJobs(true).up(APP.plan());
        ReportAssert.assertThat(again).succeeded();
        assertThat(kind(since(sim, mark), Action.Kind.START)).extracting(Action::node).containsExactly("migrate");
        assertThat(again.node("migrate").reused()).isFalse();
        assertThat(again.node("migrate").ready()).contains(s(3));
    }

    @Test
    void aChangedNodeIsRecreatedAloneAndRestartDependentsFollowIt() {
        Deployment d = APP.toBuilder()
                .service("indexer", x -> x.image("app:1")
                        .dependsOn(Dependency.on("api", Condition.STARTED).restart(true)))
                .build();
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(d.plan()).throwIfFailed();

        Deployment changed = d.toBuilder().service("api", x -> x.image("app:2").dependsOn("db", Condition.HEALTHY)
                .dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY)).build();
        assertThat(changed.nodes()).extracting(n -> n.name())
                .containsExactly("db", "cache", "migrate", "api", "worker", "web", "indexer");
        assertThat(ordo.status(changed)).filteredOn(st -> !st.upToDate()).extracting(NodeStatus::node)
                .containsExactly("api");

        int mark = sim.history().size();
        RunReport report = ordo.up(changed.plan());
        ReportAssert.assertThat(report).succeeded().respectsDependencies(changed.plan());
        List<Action> starts = kind(since(sim, mark), Action.Kind.START);
        assertThat(starts).extracting(Action::node).containsExactlyInAnyOrder("api", "indexer");
        assertThat(byNode(starts).get("indexer").detail()).isEqualTo("recreate");
        assertThat(kind(since(sim, mark), Action.Kind.KEEP)).extracting(Action::node)
                .containsExactlyInAnyOrder("db", "cache", "worker", "web");
        assertThat(report.node("api").reused()).isFalse();
        assertThat(report.node("indexer").reused()).isFalse();
        assertThat(report.node("web").reused()).isTrue();
        assertThat(ordo.status(changed)).allSatisfy(st -> assertThat(st.upToDate()).as(st.node()).isTrue());
    }

    @Test
    void aNodeRemovedFromTheDeploymentIsRemovedByTheNextUp() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(APP.plan()).throwIfFailed();
        Deployment smaller = APP.toBuilder().without("web").build();
        assertThat(ordo.status(smaller)).filteredOn(st -> !st.defined()).singleElement()
                .satisfies(st -> assertThat(st.node()).isEqualTo("web"));

        int mark = sim.history().size();
        RunReport report = ordo.up(smaller.plan());
        ReportAssert.assertThat(report).succeeded().hasState("web", NodeState.REMOVED);
        assertThat(kind(since(sim, mark), Action.Kind.REMOVE)).extracting(Action::node).containsExactly("web");
        assertThat(kind(since(sim, mark), Action.Kind.START)).isEmpty();
        assertThat(ordo.status(smaller)).extracting(NodeStatus::node).doesNotContain("web");
    }

    @Test
    void statusReportsWhatExists() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        assertThat(ordo.status(APP)).isEmpty();
        ordo.up(APP.plan()).throwIfFailed();
        Map<String, NodeStatus> st = ordo.status(APP).stream()
                .collect(Collectors.toMap(NodeStatus::node, Function.identity()));
        assertThat(st.keySet()).containsExactlyInAnyOrder("db", "cache", "migrate", "api", "worker", "web");
        assertThat(st.get("db").state()).isEqualTo(ObservedNode.State.HEALTHY);
        assertThat(st.get("web").state()).isEqualTo(ObservedNode.State.RUNNING);
        assertThat(st.get("migrate").state()).isEqualTo(ObservedNode.State.EXITED);
        assertThat(st.get("migrate").exitCode()).hasValue(0);
        assertThat(st.get("api").replicas()).isEqualTo(1);
        assertThat(st.values()).allSatisfy(x -> assertThat(x.upToDate() && x.defined()).isTrue());
        // defined nodes in declaration order
        assertThat(ordo.status(APP)).extracting(NodeStatus::node)
                .containsExactly("db", "cache", "migrate", "api", "worker", "web");
    }

    @Test
    void listenerReceivesEveryEventInOrder() {
        Deployment d = Deployment.builder("events")
                .service("db", x -> x.image("x:1").healthCheck(HealthCheck.tcp(1).interval(s(1))))
                .job("migrate", j -> j.image("x:1").dependsOn("db", Condition.HEALTHY))
                .service("app", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        List<RunEvent> events = new ArrayList<>();
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", s(1)).exitsAfter("migrate", s(2), 0);
        Orchestrator.using(sim).listener(events::add).up(d.plan()).throwIfFailed();
        assertThat(events).extracting(e -> e.at().toSeconds() + " " + e.type() + " " + e.node()).containsExactly(
                "0 STARTING db",
                "0 STARTED db",
                "1 HEALTHY db",
                "1 STARTING migrate",
                "1 STARTED migrate",
                "3 COMPLETED migrate",
                "3 STARTING app",
                "3 STARTED app");

        events.clear();
        Orchestrator.using(sim).listener(events::add).down(d);
        assertThat(events).extracting(e -> e.type() + " " + e.node()).containsExactly(
                "STOPPING app", "STOPPED app", "STOPPING migrate", "STOPPED migrate", "STOPPING db", "STOPPED db");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheRun() {
        RunReport report = Orchestrator.using(SimulatedBackend.create()).listener(e -> {
            throw new IllegalStateException("listener bug");
        }).up(APP.plan());
        ReportAssert.assertThat(report).succeeded();
    }

    @Test
    void timeoutMustBePositive() {
        Orchestrator o = Orchestrator.using(SimulatedBackend.create());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }

    @Test
    void plansOfTheSameDeploymentCanBeBroughtUpPieceByPiece() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator ordo = Orchestrator.using(sim);
        Plan webOnly = APP.plan(dev.ordo.Selection.defaults().withTargets("worker"));
        RunReport first = ordo.up(webOnly);
        assertThat(first.nodes()).extracting(NodeTimeline::node).containsExactlyInAnyOrder("db", "worker");
        int mark = sim.history().size();
        RunReport all = ordo.up(APP.plan());
        ReportAssert.assertThat(all).succeeded();
        assertThat(kind(since(sim, mark), Action.Kind.KEEP)).extracting(Action::node)
                .containsExactlyInAnyOrder("db", "worker");
        assertThat(kind(since(sim, mark), Action.Kind.START)).extracting(Action::node)
                .containsExactlyInAnyOrder("cache", "migrate", "api", "web");
    }
}
