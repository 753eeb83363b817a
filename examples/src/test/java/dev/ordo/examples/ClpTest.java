package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.export.Export;
import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CLP example against the seed document it was written from. */
class ClpTest {
    private static final Pattern EDGE = Pattern.compile("^\\s*(\\w+) -->\\|(\\w+)\\| (\\w+)\\s*$", Pattern.MULTILINE);

    /**
     * The seed's Figure 1, copied verbatim into the test resources: a test that looked for ../shared beside the
     * checkout failed in a clone made anywhere else.
     */
    private static String seedFigure() throws IOException {
        try (var in = ClpTest.class.getResourceAsStream("/clp-seed-figure-1.mmd")) {
            if (in == null) {
                throw new IllegalStateException("test resource clp-seed-figure-1.mmd is missing from the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Set<String> edges(String mermaid) {
        Set<String> out = new TreeSet<>();
        Matcher m = EDGE.matcher(mermaid);
        while (m.find()) {
            out.add(m.group(1) + " -" + m.group(2) + "-> " + m.group(3));
        }
        return out;
    }

    @Test
    void everyEdgeOfTheSeedFigureIsPlannedWithItsConditionAndNoOther() throws IOException {
        Set<String> figure = edges(seedFigure());
        Plan plan = Clp.deployment().plan(Selection.allProfiles());

        assertThat(figure).hasSize(21);
        assertThat(edges(Export.mermaid(plan))).isEqualTo(figure);
    }

    @Test
    void hasSixteenServicesAndTwoInitJobs() {
        Deployment clp = Clp.deployment();
        assertThat(clp.nodes().stream().filter(n -> n.kind() == Node.Kind.SERVICE)).hasSize(16);
        assertThat(clp.nodes().stream().filter(n -> n.kind() == Node.Kind.JOB).map(Node::name))
                .containsExactlyInAnyOrder("db-table-creator", "results-cache-indices-creator");
    }

    @Test
    void deploymentTypesSelectTheirSchedulersAndQueryPipelines() {
        Deployment clp = Clp.deployment();
        Set<String> base = names(clp.plan(Clp.Type.BASE.selection(false)));
        Set<String> spiderFull = names(clp.plan(Clp.Type.SPIDER_FULL.selection(false)));

        assertThat(base).contains("compression-scheduler", "compression-worker", "webui")
                .doesNotContain("spider-scheduler", "query-scheduler", "reducer", "mcp-server");
        assertThat(spiderFull).contains("spider-scheduler", "spider-compression-worker", "query-scheduler", "reducer")
                .doesNotContain("compression-scheduler", "compression-worker", "mcp-server");
        assertThat(names(clp.plan(Clp.Type.FULL.selection()))).contains("mcp-server", "reducer");
    }

    @Test
    void comesUpInDependencyOrderOnTheSimulatedBackend() {
        Plan plan = Clp.deployment().plan(Selection.allProfiles());
        RunReport report = Orchestrator.using(Clp.simulated()).up(plan);

        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan).respectsPools(plan)
                .startedAfter("webui", "db-table-creator")
                .startedAfter("reducer", "query-scheduler")
                .criticalPathIs("database", "db-table-creator", "webui");
        // database is healthy at 12 s, the table creator takes 4 s: everything that needs the tables starts at 16 s.
        assertThat(report.node("webui").requested()).contains(Duration.ofSeconds(16));
        assertThat(report.node("reducer").state()).isEqualTo(NodeState.STARTED);
    }

    @Test
    void aFailedTableCreatorStopsEverythingThatNeedsTheTables() {
        Plan plan = Clp.deployment().plan(Clp.Type.FULL.selection());
        SimulatedBackend sim = Clp.simulated().exitsAfter("db-table-creator", Duration.ofSeconds(3), 1)
                .logs("db-table-creator", "Access denied for user 'clp-user'");
        RunReport report = Orchestrator.using(sim).up(plan);

        ReportAssert.assertThat(report).failed()
                .failedBecause("db-table-creator", "exited with code 1")
                .neverStarted("webui").failedBecause("webui", "'db-table-creator' failed")
                .neverStarted("reducer");
        // The job has retries(2): three attempts, each a fresh container, and only then the failure, which carries
        // the last attempt's output.
        assertThat(report.node("db-table-creator").failure().orElseThrow().logTail())
                .containsExactly("Access denied for user 'clp-user'");
        assertThat(report.node("db-table-creator").finished()).contains(Duration.ofSeconds(12 + 3 * 3));
    }

    private static Set<String> names(Plan plan) {
        return plan.nodes().stream().map(Node::name).collect(Collectors.toSet());
    }
}
