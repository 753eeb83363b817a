package dev.ordo.compose.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.compose.ComposeImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLP's own package files — the README's reference system as y-scope publishes it, every service pulled in with
 * {@code extends: {file: docker-compose-all.yaml}} — plan Figure 1: its two jobs, and for the nodes the files
 * define, exactly Figure 1's edges with their conditions. (Before Ordo inherited {@code depends_on} through
 * {@code extends}, as Compose v2 does, these files planned as one wave with no edge.)
 */
class ClpPackageFileTest {
    @TempDir
    Path work;

    private Plan plan(String id) throws Exception {
        CorpusEntry e = CorpusEntry.all().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        ComposeImport imported = e.composeFile(Files.createDirectories(work.resolve(id))).profiles("*").load();
        return imported.deployment().plan(imported.selection());
    }

    @Test
    void theCeleryAndSpiderPackageFilesPlanFigureOnesEdgesAndJobs() throws Exception {
        Set<String> fileEdges = new TreeSet<>();
        Set<String> nodes = new TreeSet<>();
        for (String id : new String[] {"clp-package", "clp-package-spider"}) {
            Plan p = plan(id);
            fileEdges.addAll(CorpusTest.edges(p));
            p.nodes().forEach(n -> nodes.add(n.name()));
            Deployment d = p.deployment();
            assertThat(d.nodes().stream().filter(n -> n instanceof Job).map(Node::name))
                    .containsExactlyInAnyOrderElementsOf(ClpTopology.JOBS);
        }
        Set<String> figureEdges = new TreeSet<>();
        for (Object[] e : ClpTopology.EDGES) {
            String dependency = (String) e[0];
            String dependent = (String) e[1];
            if (nodes.contains(dependency) && nodes.contains(dependent)) {
                Condition c = (Condition) e[2];
                figureEdges.add(dependent + " -> " + dependency + ": " + (c == Condition.HEALTHY ? "healthy"
                        : c == Condition.COMPLETED_SUCCESSFULLY ? "completed" : "started"));
            }
        }
        assertThat(fileEdges).isEqualTo(figureEdges).hasSizeGreaterThan(15);
        // the files predate two of Figure 1's services; every other node of the figure is there
        assertThat(new TreeSet<>(ClpTopology.SERVICES)).containsAll(nodes.stream()
                .filter(n -> !ClpTopology.JOBS.contains(n)).toList());
        System.out.println("CLP package files: " + nodes.size() + " nodes, " + fileEdges.size() + " edges; Figure 1"
                + " services they do not define: " + ClpTopology.SERVICES.stream().filter(s -> !nodes.contains(s))
                .toList());
    }
}
