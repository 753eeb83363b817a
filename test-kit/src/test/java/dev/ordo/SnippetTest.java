package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Plan;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snippets from the core issue and the README's test-kit section, verbatim, with what their comments promise. */
class SnippetTest {
    @Test
    void theIssueSnippetBehavesAsItsCommentsSay() {
        Deployment clp = Deployment.builder("clp")
            .pool("compression", 2)
            .service("database", s -> s.image("mysql:8.0.23")
                .healthCheck(HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(30))
                .volume("database-data", "/var/lib/mysql"))
            .job("db-table-creator", j -> j.image("clp-package:main")
                .command("python3", "-m", "clp_py_utils.create-db-tables")
                .dependsOn("database", Condition.HEALTHY))
            .service("webui", s -> s.image("clp-package:main")
                .healthCheck(HealthCheck.http(4000, "/"))
                .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
            .build();
        Plan plan = clp.plan();
        SimulatedBackend sim = SimulatedBackend.create()
            .readyAfter("database", Duration.ofSeconds(20))
            .exitsAfter("db-table-creator", Duration.ofSeconds(5), 0);
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report)
                .succeeded()
                .respectsDependencies(plan)
                .startedAt("webui", Duration.ofSeconds(25))
                .criticalPathIs("database", "db-table-creator", "webui");
        assertThat(report.node("database").ready()).contains(Duration.ofSeconds(20));
        assertThat(report.node("db-table-creator").state()).isEqualTo(NodeState.COMPLETED);
        // Ordo probes webui's HTTP check as its container starts: ready at once.
        assertThat(report.node("webui").ready()).contains(Duration.ofSeconds(25));
        assertThat(plan.criticalPath(Map.of("database", Duration.ofSeconds(20),
                "db-table-creator", Duration.ofSeconds(5))).nodes())
                .isEqualTo(List.of("database", "db-table-creator", "webui"));
    }

    @Test
    void theReadmeTestKitSnippetsBehaveAsTheyClaim() {
        Deployment clp = Deployment.builder("clp")
            .service("database", s -> s.image("mysql:8.0.23")
                .healthCheck(HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(30)))
            .job("db-table-creator", j -> j.image("clp-package:main").dependsOn("database", Condition.HEALTHY))
            .service("webui", s -> s.image("clp-package:main").healthCheck(HealthCheck.http(4000, "/"))
                .dependsOn("db-table-creator", Condition.COMPLETED_SUCCESSFULLY))
            .build();
        Plan plan = clp.plan();
        // from the README, verbatim
        SimulatedBackend sim = SimulatedBackend.create()
            .readyAfter("database", Duration.ofSeconds(20))       // health probes pass from 20 s on
            .exitsAfter("db-table-creator", Duration.ofSeconds(5), 0)
            .stopsAfter("database", Duration.ofSeconds(4));       // capped by the stop grace period
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report)
            .succeeded()
            .respectsDependencies(plan)          // no node started before its conditions held
            .respectsPools(plan)                 // no pool ran more members than its slots
            .startedAt("webui", Duration.ofSeconds(25))
            .startedAfter("webui", "db-table-creator")
            .criticalPathIs("database", "db-table-creator", "webui");

        // failures are scripted the same way
        SimulatedBackend failing = SimulatedBackend.create()
            .exitsAfter("db-table-creator", Duration.ofSeconds(5), 1)
            .logs("db-table-creator", "ERROR: table exists")      // becomes the log tail of the failure
            .neverHealthy("database")                             // unhealthy after interval x retries (+ start period)
            .crashesAfter("webui", Duration.ofSeconds(3), 137)    // its restart policy applies
            .livenessFailsAt("webui", Duration.ofMinutes(2))      // its liveness check fails: killed, restarted, counted
            .restartsSlowly("webui", Duration.ofSeconds(10))      // each policy restart takes 10 s more, as on a loaded engine
            .failsToStart("webui", "image clp-package:main not found");
        ReportAssert.assertThat(Orchestrator.using(failing).up(plan))
            .failedWith("database", dev.ordo.run.Failure.Reason.UNHEALTHY)
            .neverStarted("webui");
    }
}
