package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.ordo.Condition;
import dev.ordo.Deployment;
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
 * checked against the engine's own timestamps, an idempotent second up, a clean teardown. (Pools, failure
 * propagation and a changed node are scenarios of {@link DockerBackendContractIT}.)
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
        Deployment clp = dev.ordo.ClpTopology.rehearsal(name, Duration.ofSeconds(1)).build();
        Plan plan = clp.plan();
        assertThat(plan.size()).isEqualTo(18);
        try (DockerBackend rehearsal = docker.withStandIns(ClpStandIns.standIns(
                ClpStandIns.delays(clp, Duration.ofMillis(300), Duration.ofMillis(700))))) {
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

            Map<String, String> ids = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> ids.put(c.getLabels().get(Labels.NODE), c.getId()));
            RunReport again = ordo.up(plan);
            assertThat(again.succeeded()).as(again.render()).isTrue();
            assertThat(again.nodes()).allMatch(NodeTimeline::reused);
            Map<String, String> idsAgain = new HashMap<>();
            DockerTestSupport.containers(name).forEach(c -> idsAgain.put(c.getLabels().get(Labels.NODE), c.getId()));
            assertThat(idsAgain).isEqualTo(ids);

            RunReport down = ordo.down(clp, DownOptions.defaults().removeVolumes(true));
            assertThat(down.succeeded()).as(down.render()).isTrue();
            assertThat(down.nodes()).hasSize(18).allMatch(t -> t.state() == NodeState.REMOVED);
            assertThat(DockerTestSupport.containers(name)).isEmpty();
            assertThat(DockerTestSupport.networks(name)).isZero();
            assertThat(DockerTestSupport.volumes(name)).isZero();
        }
    }
}
