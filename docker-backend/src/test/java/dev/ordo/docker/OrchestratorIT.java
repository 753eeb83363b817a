package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Edge;
import dev.ordo.Plan;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through the core's {@link Orchestrator} on a real engine, with stand-ins: the CLP topology's order
 * checked against the engine's own timestamps, idempotent re-runs, clean teardown, pools, failure propagation.
 */
class OrchestratorIT {
    private DockerBackend docker;
    private String name;

    @BeforeEach
    void setUp() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("orch");
    }

    @AfterEach
    void tearDown() {
        if (docker == null) {
            return; // skipped: no engine to clean up
        }
        DockerTestSupport.purge(name);
        docker.close();
    }

    /** Start, finish and stand-in-ready instants of each node's container, all read from the engine. */
    private record EngineTimes(Instant started, Instant finished, Integer exitCode, Instant ready) {
    }

    private Map<String, EngineTimes> engineTimes() {
        Map<String, EngineTimes> out = new HashMap<>();
        for (Container c : DockerTestSupport.containers(name)) {
            InspectContainerResponse info = DockerTestSupport.client().inspectContainerCmd(c.getId()).exec();
            var state = info.getState();
            Instant finished = state.getFinishedAt() == null || state.getFinishedAt().startsWith("0001")
                    ? null : Instant.parse(state.getFinishedAt());
            out.put(c.getLabels().get(Labels.NODE), new EngineTimes(Instant.parse(state.getStartedAt()), finished,
                    state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue(),
                    readyLine(c.getId())));
        }
        return out;
    }

    /** When the container printed the stand-in's ready line (after it made its health check pass), per Docker. */
    private static Instant readyLine(String id) {
        List<String> lines = new ArrayList<>();
        try {
            DockerTestSupport.client().logContainerCmd(id).withStdOut(true).withTimestamps(true)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                            com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame f) {
                            lines.addAll(List.of(new String(f.getPayload()).split("\n")));
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines.stream().filter(l -> l.endsWith(" " + StandInRewrite.READY_LINE))
                .map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).findFirst().orElse(null);
    }

    @Test
    void clpTopologyComesUpInDependencyOrderPerTheEnginesTimestampsIsKeptOnASecondUpAndGoesDownCleanly() {
        Deployment clp = ClpTopology.deployment(name, Duration.ofSeconds(1));
        Plan plan = clp.plan();
        assertThat(plan.size()).isEqualTo(18);
        try (DockerBackend rehearsal = docker.withStandIns(ClpTopology.standIns(
                ClpTopology.delays(clp, Duration.ofMillis(300), Duration.ofMillis(700))))) {
            Orchestrator ordo = Orchestrator.using(rehearsal).timeout(Duration.ofMinutes(2));
            RunReport up = ordo.up(plan);
            assertThat(up.succeeded()).as(up.render()).isTrue();
            assertThat(up.nodes()).hasSize(18).allMatch(t -> t.state() == NodeState.HEALTHY
                    || t.state() == NodeState.COMPLETED);

            Map<String, EngineTimes> times = engineTimes();
            assertThat(times).hasSize(18);
            int checked = 0;
            for (Edge e : plan.edges()) {
                EngineTimes dependent = times.get(e.dependent());
                EngineTimes dependency = times.get(e.dependency());
                Instant held = switch (e.condition()) {
                    case STARTED -> dependency.started();
                    case HEALTHY -> dependency.ready();
                    case COMPLETED_SUCCESSFULLY -> dependency.finished();
                };
                assertThat(held).as("when %s's condition on %s held", e.dependent(), e.dependency()).isNotNull();
                if (e.condition() == Condition.COMPLETED_SUCCESSFULLY) {
                    assertThat(dependency.exitCode()).isZero();
                }
                assertThat(dependent.started()).as("%s started before %s was %s", e.dependent(), e.dependency(),
                        e.condition().label()).isAfter(held);
                checked++;
            }
            assertThat(checked).isEqualTo(21); // links 0-20 of the CLP figure
            assertThat(up.medianDetectionLatency()).isPresent();
            // below the 1 s health interval: Ordo's probes, not Docker's checks, noticed readiness (speed: bench/docker)
            assertThat(up.medianDetectionLatency().get()).isLessThan(Duration.ofSeconds(1));

            Map<String, String> ids = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> ids.put(c.getLabels().get(Labels.NODE), c.getId()));
            RunReport again = ordo.up(plan);
            assertThat(again.succeeded()).as(again.render()).isTrue();
            assertThat(again.nodes()).allMatch(NodeTimeline::reused);
            Map<String, String> idsAgain = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> idsAgain.put(c.getLabels().get(Labels.NODE), c.getId()));
            assertThat(idsAgain).isEqualTo(ids);
            assertThat(again.duration()).isLessThan(up.duration());

            RunReport down = ordo.down(clp, DownOptions.defaults().removeVolumes(true));
            assertThat(down.succeeded()).as(down.render()).isTrue();
            // Stand-ins exit on SIGTERM: teardown takes nowhere near the 10 s grace period per wave.
            assertThat(down.duration()).isLessThan(Duration.ofSeconds(10));
            assertThat(DockerTestSupport.containers(name)).isEmpty();
            assertThat(DockerTestSupport.networks(name)).isZero();
            assertThat(DockerTestSupport.volumes(name)).isZero();
        }
    }

    @Test
    void changedNodeIsRecreatedAloneOnTheNextUp() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image("postgres:16").healthCheck(HealthCheck.tcp(5432)))
                .service("web", s -> s.image("web:1").env("MODE", "a").healthCheck(HealthCheck.http(80, "/"))
                        .dependsOn("db", Condition.HEALTHY))
                .build();
        try (DockerBackend rehearsal = docker.withStandIns(StandIns.defaults().readyAfter(Duration.ofMillis(200)))) {
            Orchestrator ordo = Orchestrator.using(rehearsal);
            assertThat(ordo.up(d.plan()).succeeded()).isTrue();
            Map<String, String> before = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> before.put(c.getLabels().get(Labels.NODE), c.getId()));
            Deployment changed = d.toBuilder().service("web", s -> s.image("web:1").env("MODE", "b")
                    .healthCheck(HealthCheck.http(80, "/")).dependsOn("db", Condition.HEALTHY)).build();
            RunReport report = ordo.up(changed.plan());
            assertThat(report.succeeded()).as(report.render()).isTrue();
            assertThat(report.node("db").reused()).isTrue();
            assertThat(report.node("web").reused()).isFalse();
            Map<String, String> after = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> after.put(c.getLabels().get(Labels.NODE), c.getId()));
            assertThat(after.get("db")).isEqualTo(before.get("db"));
            assertThat(after.get("web")).isNotEqualTo(before.get("web"));
            ordo.down(changed);
        }
    }

    @Test
    void poolLimitsHoldOnRealContainers() {
        // Four 1-second jobs share a pool of 2: per the engine's own timestamps, never more than 2 overlap.
        var b = Deployment.builder(name).pool("batch", 2);
        for (int i = 1; i <= 4; i++) {
            b.job("batch-" + i, j -> j.image("worker:1").pool("batch"));
        }
        Deployment d = b.build();
        try (DockerBackend rehearsal = docker.withStandIns(StandIns.defaults().runFor(Duration.ofSeconds(1)))) {
            RunReport report = Orchestrator.using(rehearsal).up(d.plan());
            assertThat(report.succeeded()).as(report.render()).isTrue();
            List<Instant[]> spans = new ArrayList<>();
            engineTimes().values().forEach(t -> spans.add(new Instant[] {t.started(), t.finished()}));
            assertThat(spans).hasSize(4);
            int max = 0;
            for (Instant[] s : spans) {
                int overlapping = 0;
                for (Instant[] o : spans) {
                    if (!o[0].isAfter(s[0]) && o[1].isAfter(s[0])) {
                        overlapping++;
                    }
                }
                max = Math.max(max, overlapping);
            }
            // never more than the pool's 2 slots; at least 1 (the engine may well serialise them)
            assertThat(max).isBetween(1, 2);
            Orchestrator.using(rehearsal).down(d);
        }
    }

    @Test
    void failedJobFailsItsDependentsWithExitCodeAndLogTailAndStartsNothingAfterIt() {
        Deployment d = Deployment.builder(name)
                .service("database", s -> s.image("mysql:8").healthCheck(HealthCheck.command("mysqladmin", "ping")))
                .job("db-table-creator", j -> j.image("clp:main").dependsOn("database", Condition.HEALTHY))
                .service("webui", s -> s.image("clp:main").dependsOn("db-table-creator",
                        Condition.COMPLETED_SUCCESSFULLY))
                .build();
        try (DockerBackend rehearsal = docker.withStandIns(StandIns.defaults().exitCode("db-table-creator", 3))) {
            RunReport report = Orchestrator.using(rehearsal).up(d.plan());
            assertThat(report.succeeded()).isFalse();
            NodeTimeline job = report.node("db-table-creator");
            assertThat(job.state()).isEqualTo(NodeState.FAILED);
            assertThat(job.exitCode()).hasValue(3);
            assertThat(job.failure().orElseThrow().logTail()).last().asString().contains("exiting with code 3");
            assertThat(report.node("webui").wasStarted()).isFalse();
            assertThat(DockerTestSupport.containers(name)).extracting(c -> c.getLabels().get(Labels.NODE))
                    .containsExactlyInAnyOrder("database", "db-table-creator");
            Orchestrator.using(rehearsal).down(d);
        }
    }

    @Test
    void serviceThatNeverBecomesHealthyIsUnhealthyAndBlocksItsDependents() {
        Deployment d = Deployment.builder(name)
                .service("queue", s -> s.image("rabbitmq:3").healthCheck(HealthCheck.command("check")
                        .interval(Duration.ofMillis(200)).retries(2)))
                .service("scheduler", s -> s.image("clp:main").dependsOn("queue", Condition.HEALTHY))
                .build();
        try (DockerBackend rehearsal = docker.withStandIns(StandIns.defaults().neverReady("queue"))) {
            RunReport report = Orchestrator.using(rehearsal).timeout(Duration.ofSeconds(30)).up(d.plan());
            assertThat(report.succeeded()).isFalse();
            assertThat(report.node("queue").state()).isIn(NodeState.UNHEALTHY, NodeState.FAILED);
            assertThat(report.node("scheduler").wasStarted()).isFalse();
            Orchestrator.using(rehearsal).down(d);
        }
    }

    @Test
    void tearDownPolicyLeavesNothingOfTheFailedRunBehind() {
        Deployment d = Deployment.builder(name)
                .service("database", s -> s.image("mysql:8").port(3306).healthCheck(HealthCheck.tcp(3306))
                        .volume("data", "/var/lib/mysql"))
                .service("cache", s -> s.image("redis:7"))
                .job("db-table-creator", j -> j.image("clp:main").dependsOn("database", Condition.HEALTHY))
                .service("webui", s -> s.image("clp:main").dependsOn("db-table-creator",
                        Condition.COMPLETED_SUCCESSFULLY))
                .build();
        try (DockerBackend rehearsal = docker.withStandIns(StandIns.defaults().exitCode("db-table-creator", 1))) {
            RunReport report = Orchestrator.using(rehearsal).failurePolicy(dev.ordo.run.FailurePolicy.TEAR_DOWN)
                    .up(d.plan());
            assertThat(report.succeeded()).isFalse();
            assertThat(report.node("db-table-creator").state()).isEqualTo(NodeState.FAILED);
            assertThat(report.node("webui").wasStarted()).isFalse();
            assertThat(report.node("database").wasStarted()).as("it ran before the failure").isTrue();
            // everything this run created is gone: containers and network; the named volume is kept as down keeps it
            assertThat(DockerTestSupport.containers(name)).isEmpty();
            assertThat(DockerTestSupport.networks(name)).isZero();
            assertThat(Orchestrator.using(rehearsal).status(d)).isEmpty();
        }
    }
}
