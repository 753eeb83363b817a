package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Plan;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dataflow starts, conditions and pools, in virtual time. */
class SchedulingTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void aNodeStartsWhenItsLastConditionHoldsNotAtWaveBoundaries() {
        // waves: [a, b], [c, d, x], [e]. Wave by wave, c would wait for a (10 s) and e would start at 11 s or later.
        Deployment d = Deployment.builder("flow")
                .job("a", j -> j.image("x:1"))
                .job("b", j -> j.image("x:1"))
                .job("c", j -> j.image("x:1").dependsOn("b", Condition.COMPLETED_SUCCESSFULLY))
                .job("d", j -> j.image("x:1").dependsOn("a", Condition.COMPLETED_SUCCESSFULLY))
                .job("x", j -> j.image("x:1").dependsOn("a", Condition.COMPLETED_SUCCESSFULLY)
                        .dependsOn("b", Condition.COMPLETED_SUCCESSFULLY))
                .job("e", j -> j.image("x:1").dependsOn("c", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        Plan plan = d.plan();
        assertThat(plan.waves()).hasSize(3);
        SimulatedBackend sim = SimulatedBackend.create()
                .exitsAfter("a", s(10), 0).exitsAfter("b", s(1), 0)
                .exitsAfter("c", s(1), 0).exitsAfter("d", s(1), 0)
                .exitsAfter("x", s(2), 0).exitsAfter("e", s(1), 0);
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan)
                .startedAt("a", s(0)).startedAt("b", s(0))
                .startedAt("c", s(1)).startedAt("e", s(2))
                .startedAt("d", s(10)).startedAt("x", s(10))
                .criticalPathIs("a", "x")
                .within(s(12));
        assertThat(report.node("e").ready()).contains(s(3));
        assertThat(report.node("x").gatedBy()).contains("a");
        assertThat(report.node("c").gatedBy()).contains("b");
        assertThat(report.duration()).isEqualTo(s(12));
    }

    @Test
    void startedHealthyAndCompletedSuccessfullyHoldAtDifferentTimes() {
        Deployment d = Deployment.builder("conds")
                .service("db", x -> x.image("postgres:16")
                        .healthCheck(HealthCheck.command("pg_isready").interval(s(2))))
                .service("sidecar", x -> x.image("x:1").dependsOn("db", Condition.STARTED))
                .job("migrate", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .service("watcher", x -> x.image("x:1").dependsOn("migrate", Condition.STARTED))
                .service("app", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        Plan plan = d.plan();
        SimulatedBackend sim = SimulatedBackend.create()
                .startsAfter("db", s(1)).readyAfter("db", s(5))
                .exitsAfter("migrate", s(3), 0);
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan)
                .startedAt("db", s(0))
                .startedAt("sidecar", s(1))     // db's container runs at 1 s
                .startedAt("migrate", s(6))     // ready 5 s after its start at 1 s: Ordo probes until it passes
                .startedAt("watcher", s(6))     // a running job is STARTED
                .startedAt("app", s(9))         // migrate exits 0 at 9 s
                .hasState("db", NodeState.HEALTHY)
                .hasState("sidecar", NodeState.STARTED)
                .hasState("migrate", NodeState.COMPLETED)
                .hasState("app", NodeState.STARTED);
        NodeTimeline db = report.node("db");
        assertThat(db.started()).contains(s(1));
        assertThat(db.ready()).contains(s(6));
        NodeTimeline migrate = report.node("migrate");
        assertThat(migrate.started()).contains(s(6));
        assertThat(migrate.ready()).contains(s(9));
        assertThat(migrate.finished()).contains(s(9));
        assertThat(migrate.exitCode()).hasValue(0);
        // a service without health check is ready once it runs
        assertThat(report.node("sidecar").ready()).isEqualTo(report.node("sidecar").started());
    }

    @Test
    void logLineHealthCheckIsHealthyWhenALineMatches() {
        Deployment d = Deployment.builder("logs")
                .service("db", x -> x.image("mysql:8").healthCheck(HealthCheck.logLine("ready for connections")))
                .job("seed", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", s(4))
                .logs("db", "InnoDB initialization", "mysqld: ready for connections. port: 3306");
        List<RunEvent> events = new ArrayList<>();
        RunReport report = Orchestrator.using(sim).listener(events::add).up(d.plan());
        ReportAssert.assertThat(report).succeeded().startedAt("seed", s(4));
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.LOG).extracting(RunEvent::detail)
                .containsExactly("InnoDB initialization", "mysqld: ready for connections. port: 3306");
    }

    @Test
    void poolSlotsAreNeverExceeded() {
        Deployment.Builder b = Deployment.builder("pools").pool("compression", 2);
        for (int i = 1; i <= 5; i++) {
            b.job("c" + i, j -> j.image("x:1").pool("compression"));
        }
        Deployment d = b.build();
        Plan plan = d.plan();
        SimulatedBackend sim = SimulatedBackend.create();
        for (int i = 1; i <= 5; i++) {
            sim.exitsAfter("c" + i, s(10), 0);
        }
        List<RunEvent> events = new ArrayList<>();
        RunReport report = Orchestrator.using(sim).listener(events::add).up(plan);

        ReportAssert.assertThat(report).succeeded().respectsPools(plan)
                .startedAt("c1", s(0)).startedAt("c2", s(0))
                .startedAt("c3", s(10)).startedAt("c4", s(10)).startedAt("c5", s(20))
                .within(s(30));
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.WAITING_FOR_POOL).extracting(RunEvent::node)
                .containsExactly("c3", "c4", "c5");
        assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.WAITING_FOR_POOL).first()
                .satisfies(e -> assertThat(e.detail()).contains("pool 'compression'").contains("2 slots"));
    }

    @Test
    void poolSlotsAreHandedOutFirstComeFirstServed() {
        // w3 is declared first but becomes eligible at 3 s; w4 is eligible at 1 s, so w4 gets the first free slot.
        Deployment d = Deployment.builder("fifo").pool("p", 2)
                .job("j1", j -> j.image("x:1").pool("p"))
                .job("j2", j -> j.image("x:1").pool("p"))
                .job("k1", j -> j.image("x:1"))
                .job("k3", j -> j.image("x:1"))
                .job("w3", j -> j.image("x:1").pool("p").dependsOn("k3", Condition.COMPLETED_SUCCESSFULLY))
                .job("w4", j -> j.image("x:1").pool("p").dependsOn("k1", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        Plan plan = d.plan();
        SimulatedBackend sim = SimulatedBackend.create()
                .exitsAfter("j1", s(10), 0).exitsAfter("j2", s(20), 0)
                .exitsAfter("k1", s(1), 0).exitsAfter("k3", s(3), 0)
                .exitsAfter("w3", s(100), 0).exitsAfter("w4", s(100), 0);
        RunReport report = Orchestrator.using(sim).up(plan);
        ReportAssert.assertThat(report).succeeded().respectsPools(plan).respectsDependencies(plan)
                .startedAt("w4", s(10)).startedAt("w3", s(20));
    }

    @Test
    void aDrainedPoolBlocksItsMembersAndTheirDependents() {
        Deployment d = Deployment.builder("drained").pool("frozen", 0)
                .job("member", j -> j.image("x:1").pool("frozen"))
                .service("after", x -> x.image("x:1").dependsOn("member", Condition.COMPLETED_SUCCESSFULLY))
                .job("free", j -> j.image("x:1"))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create()).up(d.plan());
        ReportAssert.assertThat(report).failed()
                .neverStarted("member").neverStarted("after")
                .hasState("member", NodeState.SKIPPED).hasState("after", NodeState.SKIPPED)
                .hasState("free", NodeState.COMPLETED)
                .failedWith("member", Failure.Reason.POOL_BLOCKED)
                .failedBecause("member", "job 'member' is in pool 'frozen', which is drained (0 slots)")
                .failedBecause("member", ".pool(\"frozen\", n)")
                .failedWith("after", Failure.Reason.DEPENDENCY_FAILED)
                .failedBecause("after", "service 'after' never started")
                .failedBecause("after", "'member'");
        assertThat(report.node("after").failure().orElseThrow().cause()).contains("member");
    }

    @Test
    void aPoolHeldByLongRunningServicesBlocksTheRestWithAClearReason() {
        Deployment d = Deployment.builder("held").pool("web", 1)
                .service("s1", x -> x.image("x:1").pool("web"))
                .service("s2", x -> x.image("x:1").pool("web"))
                .build();
        Plan plan = d.plan();
        RunReport report = Orchestrator.using(SimulatedBackend.create()).up(plan);
        ReportAssert.assertThat(report).failed().respectsPools(plan)
                .hasState("s1", NodeState.STARTED)
                .neverStarted("s2")
                .failedWith("s2", Failure.Reason.POOL_BLOCKED)
                .failedBecause("s2", "service 's2' waited for a slot of pool 'web' (1 slots)")
                .failedBecause("s2", "long-running s1");
    }

    @Test
    void aFailedPoolMemberFreesItsSlot() {
        Deployment d = Deployment.builder("freed").pool("p", 1)
                .job("bad", j -> j.image("x:1").pool("p"))
                .job("next", j -> j.image("x:1").pool("p"))
                .build();
        Plan plan = d.plan();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("bad", s(2), 1).exitsAfter("next", s(2), 0);
        RunReport report = Orchestrator.using(sim).failurePolicy(FailurePolicy.CONTINUE).up(plan);
        ReportAssert.assertThat(report).respectsPools(plan).startedAt("next", s(2))
                .hasState("next", NodeState.COMPLETED).hasState("bad", NodeState.FAILED);
    }

    @Test
    void aDrainedPoolResizedLaterLetsItsMembersStart() {
        Deployment drained = Deployment.builder("pools").pool("compression", 0)
                .job("compress", j -> j.image("clp:main").pool("compression"))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("compress", Duration.ofSeconds(3), 0);
        RunReport first = Orchestrator.using(sim).up(drained.plan());
        ReportAssert.assertThat(first).hasState("compress", NodeState.SKIPPED).neverStarted("compress");
        Deployment resized = drained.toBuilder().pool("compression", 1).build();
        assertThat(resized.pools().get("compression").slots()).isEqualTo(1);
        RunReport second = Orchestrator.using(sim).up(resized.plan());
        ReportAssert.assertThat(second).succeeded().hasState("compress", NodeState.COMPLETED);
    }
}
