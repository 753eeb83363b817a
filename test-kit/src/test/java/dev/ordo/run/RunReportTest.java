package dev.ordo.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunReportTest {
    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void criticalPathRunsOnToADependentThatIsReadyTheInstantItsDependencyIs() {
        // api has no health check: it is ready at 10 s, the same instant as db. The run's last step is api.
        Deployment d = Deployment.builder("tie")
                .service("db", x -> x.image("x:1").healthCheck(HealthCheck.tcp(1).interval(s(10))))
                .service("api", x -> x.image("x:1").dependsOn("db", Condition.HEALTHY))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().readyAfter("db", s(10))).up(d.plan());
        assertThat(report.node("db").ready()).contains(s(10));
        assertThat(report.node("api").ready()).contains(s(10));
        assertThat(report.criticalPath()).containsExactly("db", "api");
    }

    @Test
    void unknownNodeInAReportSaysDidYouMean() {
        Deployment d = Deployment.builder("r").service("database", x -> x.image("x:1")).build();
        RunReport report = Orchestrator.using(SimulatedBackend.create()).up(d.plan());
        assertThatThrownBy(() -> report.node("databse")).isInstanceOf(OrdoException.class)
                .hasMessageContaining("'databse'").hasMessageContaining("did you mean 'database'?");
        assertThat(report.covers("database")).isTrue();
        assertThat(report.covers("databse")).isFalse();
    }

    @Test
    void renderShowsEveryNodeAndTheFailures() {
        Deployment d = Deployment.builder("r")
                .job("migrate", j -> j.image("x:1"))
                .service("api", x -> x.image("x:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        RunReport report = Orchestrator.using(SimulatedBackend.create().exitsAfter("migrate", s(2), 7)).up(d.plan());
        assertThat(report.render()).contains("migrate").contains("api").contains("exited with code 7");
        assertThat(report.toString()).startsWith("RunReport[").contains(" r on simulated, 2 nodes, ").contains("2 failed");
    }
}
