package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events and report rows speak one vocabulary of node states: the last state an event reached is the row's. */
class EventVocabularyTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void theLastStateEventsReachIsTheStateTheReportGivesEachNode() {
        Deployment d = Deployment.builder("words")
                .service("db", x -> x.image("x:1").healthCheck(HealthCheck.tcp(5432).interval(s(1))))
                .job("migrate", j -> j.image("x:1").dependsOn("db", Condition.HEALTHY))
                .job("broken", j -> j.image("x:1"))
                .service("api", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .service("reports", x -> x.image("x:1").dependsOn("broken", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        List<RunEvent> events = new ArrayList<>();
        SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", s(2)).exitsAfter("migrate", s(1), 0)
                .exitsAfter("broken", s(1), 2);
        RunReport report = Orchestrator.using(sim).listener(events::add).failurePolicy(FailurePolicy.CONTINUE)
                .up(d.plan());

        Map<String, NodeState> lastReached = new LinkedHashMap<>();
        events.forEach(e -> e.type().reaches().ifPresent(state -> lastReached.put(e.node(), state)));
        Map<String, NodeState> rows = new LinkedHashMap<>();
        report.nodes().forEach(t -> rows.put(t.node(), t.state()));
        assertThat(lastReached).containsOnlyKeys(rows.keySet()).isEqualTo(rows);
        assertThat(rows).containsEntry("db", NodeState.HEALTHY).containsEntry("migrate", NodeState.COMPLETED)
                .containsEntry("api", NodeState.STARTED).containsEntry("broken", NodeState.FAILED)
                .containsEntry("reports", NodeState.SKIPPED);
    }

    @Test
    void eventsThatChangeNoNodeStateReachNone() {
        assertThat(RunEvent.Type.LOG.reaches()).isEmpty();
        assertThat(RunEvent.Type.STARTING.reaches()).isEmpty();
        assertThat(RunEvent.Type.FIRED.reaches()).isEmpty();
        assertThat(RunEvent.Type.POOL_RESIZED.reaches()).isEmpty();
        assertThat(RunEvent.Type.KEPT.reaches()).contains(NodeState.STARTED);
    }
}
