package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.plan.Plan;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snippet from the core issue and the README, verbatim, with what its comments promise. */
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
        // webui's HTTP check probes every 5 s by default: healthy at its first probe.
        assertThat(report.node("webui").ready()).contains(Duration.ofSeconds(30));
        assertThat(plan.criticalPath(Map.of("database", Duration.ofSeconds(20),
                "db-table-creator", Duration.ofSeconds(5))).nodes())
                .isEqualTo(List.of("database", "db-table-creator", "webui"));
    }
}
