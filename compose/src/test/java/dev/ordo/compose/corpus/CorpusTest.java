package dev.ordo.compose.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Edge;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.compose.ComposeExport;
import dev.ordo.compose.ComposeFile;
import dev.ordo.compose.ComposeImport;
import dev.ordo.compose.DockerComposeCli;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every compose file of the corpus, as a user meets it: loaded with its project's install step, it plans the
 * services, jobs and edges Compose v2 resolves (extends, include, anchors, profiles); written back out it is a file
 * the real {@code docker-compose config} accepts and that reads back to the same deployment; and a simulated up
 * respects its order. The table of results and warnings is printed and written to
 * {@code target/corpus-report.md}.
 */
class CorpusTest {
    private static final List<String> TABLE = new ArrayList<>();

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everyFileOfTheCorpus() {
        return CorpusEntry.all().stream().map(e -> DynamicTest.dynamicTest(e.id() + " (" + e.project() + ")",
                () -> check(e)));
    }

    private void check(CorpusEntry e) throws Exception {
        Path dir = Files.createDirectories(work.resolve(e.id()));
        ComposeImport imported = e.composeFile(dir).load();
        Deployment d = imported.deployment();
        Plan plan = d.plan(imported.selection());

        assertThat(new TreeSet<>(plan.nodes().stream().map(Node::name).toList())).as("services of " + e)
                .isEqualTo(e.expected("services"));
        assertThat(new TreeSet<>(d.nodes().stream().filter(n -> n instanceof Job).map(Node::name).toList()))
                .as("jobs of " + e).isEqualTo(e.expected("jobs"));
        assertThat(edges(plan)).as("edges of " + e).isEqualTo(e.expected("edges"));

        Path exported = dir.resolve("exported.yml");
        Files.writeString(exported, ComposeExport.of(d));
        for (Node n : d.nodes()) {
            // docker-compose 1.x's config insists that a build context exists; the corpus holds no sources
            n.container().build().ifPresent(b -> mkdirs(Path.of(b.context())));
        }
        DockerComposeCli.assertAccepts(exported, java.util.Map.of());
        ComposeImport back = ComposeFile.at(exported).env(java.util.Map.of()).profiles("*").load();
        for (Node n : d.nodes()) {
            assertThat(back.deployment().node(n.name())).as("re-import of " + n.name()).contains(n);
        }
        assertThat(back.deployment().nodes()).hasSameSizeAs(d.nodes());
        assertThat(back.deployment().name()).isEqualTo(d.name());

        RunReport up = Orchestrator.using(SimulatedBackend.create()).up(plan);
        ReportAssert.assertThat(up).succeeded().respectsDependencies(plan);

        TABLE.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s |", e.id(), e.project(),
                plan.nodes().size(), d.nodes().stream().filter(n -> n instanceof Job).count(), plan.edges().size(),
                imported.warnings().size(), summary(imported.warnings())));
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Plan edges as the corpus writes them: {@code dependent -> dependency: started|healthy|completed}. */
    static TreeSet<String> edges(Plan plan) {
        TreeSet<String> out = new TreeSet<>();
        for (Edge edge : plan.edges()) {
            out.add(edge.dependent() + " -> " + edge.dependency() + ": " + (edge.condition() == Condition.STARTED
                    ? "started" : edge.condition() == Condition.HEALTHY ? "healthy" : "completed"));
        }
        return out;
    }

    /** The kinds of warning, by the key they name, counted. */
    private static String summary(List<String> warnings) {
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (String w : warnings) {
            String rest = w.replaceAll("^[^ ]+:\\d+:\\d+: ", "").replaceAll("^[^ ]+\\.ya?ml: ", "")
                    .replaceAll("^service '[^']+': ", "");
            String k = rest.startsWith("variable ") ? "unset variable"
                    : rest.replaceAll("^'([^']+)'.*", "$1").replaceAll("^([a-z_.]+)[ :'].*", "$1");
            kinds.merge(k.length() > 30 ? k.substring(0, 30) : k, 1, Integer::sum);
        }
        return kinds.entrySet().stream().map(x -> x.getKey() + (x.getValue() > 1 ? " ×" + x.getValue() : ""))
                .reduce((a, b) -> a + ", " + b).orElse("—");
    }

    @AfterAll
    static void printTable() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("| file | project | services | jobs | edges | warnings | warned about |");
        lines.add("|---|---|---|---|---|---|---|");
        TABLE.stream().sorted().forEach(lines::add);
        String text = String.join("\n", lines) + "\n";
        System.out.println("\nCorpus:\n" + text);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("corpus-report.md"), text);
        }
    }
}
