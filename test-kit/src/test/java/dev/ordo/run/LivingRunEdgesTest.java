package dev.ordo.run;

import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Triggered runs at the edges a living deployment meets: a run that cannot start, a replaced run, a redeploy. */
class LivingRunEdgesTest {
    private static Duration s(long n) {
        return Duration.ofSeconds(n);
    }

    private static Duration min(long n) {
        return Duration.ofMinutes(n);
    }

    @Test
    void aRunThatCannotStartIsReportedAtOnceNotAtTheNextUnrelatedTimer() {
        Deployment d = Deployment.builder("gap")
                .service("db", x -> x.image("pg:16").healthCheck(HealthCheck.tcp(5432).interval(s(1))))
                .job("load", j -> j.image("load:1").onDemand().dependsOn("db", HEALTHY))
                .trigger("load-now", t -> t.target("load").manual())
                .trigger("every-3h", t -> t.target("load").every(Duration.ofHours(3)))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().neverHealthy("db");
        try (LiveDeployment live = Orchestrator.using(sim).timeout(min(1)).start(d.plan())) {
            assertThat(live.startup().succeeded()).isFalse();
            Instant before = live.now();
            RunReport run = live.trigger("load-now").join();
            assertThat(run.succeeded()).isFalse();
            assertThat(run.error().orElseThrow().reason()).isEqualTo(Failure.Reason.DEPENDENCY_FAILED);
            assertThat(run.error().orElseThrow().message()).contains("step 'load' needs 'db' to be HEALTHY");
            assertThat(run.duration()).isZero();
            assertThat(live.now()).as("the clock did not run on to the next timer").isEqualTo(before);
        }
    }

    @Test
    void aReplacedRunStopsItsStepWithAFinishTimeAndEventsBeforeTheNewRunStarts() {
        Deployment d = Deployment.builder("replace")
                .job("load", j -> j.image("load:1").onDemand())
                .trigger("load-now", t -> t.target("load").manual().overlap(Overlap.REPLACE))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("load", min(30), 0).stopsAfter("load", s(5));
        List<RunEvent> events = new ArrayList<>();
        try (LiveDeployment live = Orchestrator.using(sim).listener(events::add).start(d.plan())) {
            CompletableFuture<RunReport> first = live.trigger("load-now");
            live.advance(min(1));
            CompletableFuture<RunReport> second = live.trigger("load-now");
            RunReport replaced = first.join();
            RunReport next = second.join();

            assertThat(replaced.succeeded()).isFalse();
            assertThat(replaced.error().orElseThrow().message()).contains("was replaced by");
            assertThat(replaced.node("load").finished()).as("stopped 1 min in, after its 5 s stop")
                    .contains(min(1).plus(s(5)));
            String oldKey = "load@" + replaced.origin().orElseThrow().run();
            String newKey = "load@" + next.origin().orElseThrow().run();
            int stopped = indexOf(events, RunEvent.Type.STOPPED, oldKey);
            int started = indexOf(events, RunEvent.Type.STARTING, newKey);
            assertThat(stopped).as("a STOPPED event for the replaced step").isNotNegative();
            assertThat(started).as("the new run starts after the old step stopped").isGreaterThan(stopped);
            assertThat(next.startedAt()).isEqualTo(replaced.startedAt().plus(min(1)).plus(s(5)));
            assertThat(next.succeeded()).isTrue();
            List<Action.Kind> order = sim.history().stream()
                    .filter(a -> a.node().equals(oldKey) || a.node().equals(newKey))
                    .map(Action::kind).toList();
            assertThat(order).containsSubsequence(Action.Kind.START, Action.Kind.REMOVE, Action.Kind.START);
        }
    }

    @Test
    void aRunQueuedOnADrainedPoolSurvivesARedeployAndRunsOnceThePoolIsRestored() {
        Deployment d = Deployment.builder("kraken").pool("file-copy", 1)
                .service("worker", x -> x.image("worker:1"))
                .job("copy", j -> j.image("copy:1").onDemand().pool("file-copy"))
                .trigger("copy-now", t -> t.target("copy").manual().overlap(Overlap.ALLOW))
                .build();
        SimulatedBackend sim = SimulatedBackend.create().exitsAfter("copy", min(5), 0);
        try (LiveDeployment live = Orchestrator.using(sim).start(d.plan())) {
            live.resizePool("file-copy", 0);
            CompletableFuture<RunReport> queued = live.trigger("copy-now");
            live.advance(min(1));
            assertThat(queued).isNotDone();
            Deployment next = d.toBuilder().service("worker", x -> x.image("worker:2")).build();
            RunReport up = live.redeploy(next.plan(), min(10), "file-copy");
            assertThat(up.succeeded()).isTrue();
            Instant redeployed = live.now();
            RunReport run = queued.join();
            assertThat(run.succeeded()).as(run.render()).isTrue();
            assertThat(run.startedAt().plus(run.node("copy").started().orElseThrow()))
                    .as("the step waited for the restored pool").isEqualTo(redeployed);
            String key = "copy@" + run.origin().orElseThrow().run();
            assertThat(sim.history()).filteredOn(a -> a.node().equals(key)).extracting(Action::kind)
                    .as("the queued step ran once, to its end, and was not removed as an orphan")
                    .containsExactly(Action.Kind.START, Action.Kind.REMOVE);
            assertThat(run.node("copy").exitCode()).hasValue(0);
        }
    }

    private static int indexOf(List<RunEvent> events, RunEvent.Type type, String node) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type && events.get(i).node().equals(node)) {
                return i;
            }
        }
        return -1;
    }
}
