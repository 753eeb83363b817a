package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Launch;
import dev.ordo.spi.NodeAccess;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.Placements;
import dev.ordo.spi.ReplicaRestarts;
import dev.ordo.spi.Staging;
import dev.ordo.spi.StopMode;
import dev.ordo.spi.TimeSource;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Less travelled paths of the engine: backend errors, stop deadlines, late unhealthiness, changed jobs. */
class EdgeCaseTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    /**
     * A backend that is the simulated one except that it refuses to start some nodes, refuses to stop others, and
     * silently never stops a third set: the engine's collaborator misbehaving, not the engine.
     */
    private static final class Misbehaving implements Backend {
        final SimulatedBackend sim;
        final Set<String> refuseStart;
        final Set<String> refuseStop;
        final Set<String> hangOnStop;

        Misbehaving(SimulatedBackend sim, Set<String> refuseStart, Set<String> refuseStop, Set<String> hangOnStop) {
            this.sim = sim;
            this.refuseStart = refuseStart;
            this.refuseStop = refuseStop;
            this.hangOnStop = hangOnStop;
        }

        @Override
        public String name() {
            return "misbehaving";
        }

        @Override
        public TimeSource time() {
            return sim;
        }

        @Override
        public void prepare(Deployment deployment) {
            sim.prepare(deployment);
        }

        @Override
        public void start(Launch launch, NodeEvents events) {
            if (refuseStart.contains(launch.node().name())) {
                throw new IllegalStateException("conflict: container name '" + launch.node().name() + "' in use");
            }
            sim.start(launch, events);
        }

        @Override
        public void stop(Deployment deployment, String node, StopMode mode, NodeEvents events) {
            if (refuseStop.contains(node)) {
                throw new IllegalStateException("permission denied");
            }
            if (!hangOnStop.contains(node)) {
                sim.stop(deployment, node, mode, events);
            }
        }

        @Override
        public void release(Deployment deployment, boolean removeVolumes) {
            sim.release(deployment, removeVolumes);
        }

        @Override
        public List<ObservedNode> observe(Deployment deployment) {
            return sim.observe(deployment);
        }
    }

    private static final Deployment APP = Deployment.builder("edge")
            .service("db", x -> x.image("x:1"))
            .service("api", x -> x.image("x:1").dependsOn("db"))
            .service("web", x -> x.image("x:1").dependsOn("api"))
            .build();

    @Test
    void aBackendThatThrowsOnStartFailsTheNodeWithItsReason() {
        Backend b = new Misbehaving(SimulatedBackend.create(), Set.of("api"), Set.of(), Set.of());
        RunReport report = Orchestrator.using(b).up(APP.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("api", Failure.Reason.START_FAILED)
                .failedBecause("api", "service 'api' could not be started: conflict: container name 'api' in use")
                .neverStarted("web").failedWith("web", Failure.Reason.DEPENDENCY_FAILED)
                .hasState("db", NodeState.STARTED);
    }

    @Test
    void aBackendThatReportsLivenessButCannotRestartAReplicaFailsTheNodeNamingTheCapability() {
        // Misbehaving hands facts on but is no ReplicaRestarts: core's liveness verdict has no one to carry it out.
        Deployment d = Deployment.builder("live")
                .service("api", x -> x.image("api:1").liveness(HealthCheck.tcp(80).interval(s(1)).retries(2)))
                .job("slow", j -> j.image("slow:1").dependsOn("api", Condition.STARTED))
                .build();
        Backend b = new Misbehaving(SimulatedBackend.create().livenessFailsAt("api", Duration.ZERO)
                .exitsAfter("slow", s(30), 0), Set.of(), Set.of(), Set.of());
        RunReport report = Orchestrator.using(b).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .failedWith("api", Failure.Reason.START_FAILED)
                .failedBecause("api", "the misbehaving backend reported liveness probes but cannot restart a single"
                        + " replica; a backend that reports Fact.Liveness implements ReplicaRestarts");
    }

    @Test
    void capabilitiesABackendLacksAreSaidByName() {
        SimulatedBackend sim = SimulatedBackend.create();
        assertThat(Placements.of(sim, APP, "db")).isEmpty();
        assertThatThrownBy(() -> NodeAccess.of(sim, "db").logs(APP, "db"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("the simulated backend runs no process for node 'db' to reach");
        assertThat(sim).isInstanceOf(Staging.class).isInstanceOf(ReplicaRestarts.class)
                .isNotInstanceOf(NodeAccess.class).isNotInstanceOf(Placements.class);
    }

    @Test
    void aNodeThatDoesNotStopInTimeIsReportedAndTeardownGoesOn() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(APP.plan()).throwIfFailed();
        Backend b = new Misbehaving(sim, Set.of(), Set.of(), Set.of("web"));
        RunReport down = Orchestrator.using(b).down(APP);
        ReportAssert.assertThat(down).failed()
                .hasState("web", NodeState.FAILED)
                .failedWith("web", Failure.Reason.STOP_FAILED)
                .failedBecause("web", "node 'web' did not stop within its grace period plus 30s")
                .hasState("api", NodeState.REMOVED).hasState("db", NodeState.REMOVED);
        // default grace period 10 s + 30 s margin, then the rest in order
        assertThat(down.node("web").finished()).contains(s(40));
        assertThat(down.node("api").finished()).contains(s(40));
        assertThat(down.node("db").finished()).contains(s(40));
    }

    @Test
    void aBackendThatThrowsOnStopIsReportedAndTeardownGoesOn() {
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(APP.plan()).throwIfFailed();
        RunReport down = Orchestrator.using(new Misbehaving(sim, Set.of(), Set.of("api"), Set.of())).down(APP);
        ReportAssert.assertThat(down).failed()
                .failedWith("api", Failure.Reason.STOP_FAILED)
                .failedBecause("api", "node 'api' could not be stopped: permission denied")
                .hasState("web", NodeState.REMOVED).hasState("db", NodeState.REMOVED);
    }

    @Test
    void aServiceWithoutHealthCheckThatIsNotRunningInTimeTimesOut() {
        Deployment d = Deployment.builder("slow").service("big", x -> x.image("huge:1")).build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().startsAfter("big", s(90)))
                .timeout(s(60)).up(d.plan());
        ReportAssert.assertThat(report).failedWith("big", Failure.Reason.TIMEOUT)
                .failedBecause("big", "service 'big' was not running within 1m of being started");
        assertThat(report.node("big").finished()).contains(s(60));
    }

    @Test
    void aServiceThatTurnsUnhealthyDuringTheRunIsReported() {
        Deployment d = Deployment.builder("flaky")
                .service("cache", x -> x.image("x:1").healthCheck(HealthCheck.tcp(6379).interval(s(1)).retries(3)))
                .job("long", j -> j.image("x:1"))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().unhealthyAt("cache", s(10)).exitsAfter("long", s(30), 0);
        RunReport report = Orchestrator.using(sim).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .hasState("cache", NodeState.UNHEALTHY)
                .failedWith("cache", Failure.Reason.UNHEALTHY)
                .failedBecause("cache", "service 'cache' was healthy, then failed its health check 3 times in a row")
                .hasState("long", NodeState.COMPLETED);
        assertThat(report.node("cache").ready()).contains(s(0)); // its first probe, at its start, passes
    }

    @Test
    void aChangedJobIsRunAgain() {
        Deployment d = Deployment.builder("jobs").job("migrate", j -> j.image("app:1")).build();
        SimulatedBackend sim = SimulatedBackend.create();
        Orchestrator.using(sim).up(d.plan()).throwIfFailed();
        Deployment changed = d.toBuilder().job("migrate", j -> j.image("app:2")).build();
        int mark = sim.history().size();
        RunReport again = Orchestrator.using(sim).up(changed.plan());
        ReportAssert.assertThat(again).succeeded().hasState("migrate", NodeState.COMPLETED);
        assertThat(again.node("migrate").reused()).isFalse();
        assertThat(sim.history().subList(mark, sim.history().size())).filteredOn(a -> a.kind() == Action.Kind.START)
                .extracting(Action::node).containsExactly("migrate");
    }

    @Test
    void aFailedJobIsRunAgainByTheNextUp() {
        Deployment d = Deployment.builder("jobs").job("migrate", j -> j.image("app:1")).build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("migrate", s(1), 1);
        ReportAssert.assertThat(Orchestrator.using(sim).up(d.plan())).failed();
        sim.exitsAfter("migrate", s(1), 0);
        RunReport again = Orchestrator.using(sim).up(d.plan());
        ReportAssert.assertThat(again).succeeded();
        assertThat(again.node("migrate").reused()).isFalse();
    }

    @Test
    void aFirstUpDoesNotCallAnythingARecreation() {
        Deployment d = Deployment.builder("fresh")
                .service("db", x -> x.image("x:1"))
                .service("api", x -> x.image("x:1").dependsOn(Dependency.on("db", Condition.STARTED).restart(true)))
                .build();
        SimulatedBackend sim = SimulatedBackend.create();
        List<RunEvent> events = new ArrayList<>();
        Orchestrator.using(sim).listener(events::add).up(d.plan()).throwIfFailed();
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.STARTING)
                .allSatisfy(e -> assertThat(e.detail()).as(e.node()).doesNotContain("recreat"));
        assertThat(sim.history()).filteredOn(a -> a.kind() == Action.Kind.START)
                .allSatisfy(a -> assertThat(a.detail()).as(a.node()).isEmpty());
    }

    @Test
    void aOneShotUpNeverRunsAScheduledJobAndItsReportSaysTheTriggerDoesNotFire() {
        Deployment d = Deployment.builder("cron")
                .service("db", x -> x.image("x:1"))
                .job("backup", j -> j.image("x:1").schedule("@daily").dependsOn("db"))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("backup", s(3600), 0);
        RunReport report = Orchestrator.using(sim).up(d.plan());
        ReportAssert.assertThat(report).succeeded();
        assertThat(report.covers("backup")).isFalse();
        assertThat(report.duration()).isZero();
        assertThat(sim.history()).extracting(Action::node).doesNotContain("backup");
        assertThat(report.notes()).singleElement().asString().contains("trigger 'backup'")
                .contains("cron '@daily'").contains("does not fire").contains("Orchestrator.start(plan)");
        assertThat(report.render()).contains("note: trigger 'backup'");
    }
}
