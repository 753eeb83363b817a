package dev.ordo.compose.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.compose.ComposeImport;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.StandIns;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus entries marked {@code docker: true}, brought up and down on the real engine as a user rehearses them:
 * every image replaced by a stand-in that takes the node's start-up (health checks and the image's own included),
 * in Compose's order; then down with volumes, leaving nothing of the project on the engine.
 */
class CorpusDockerIT {
    @TempDir
    Path work;

    @BeforeEach
    void needsDocker() {
        boolean reachable = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!reachable && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no Docker engine here; run scripts/ensure-docker.sh as root, then mvn verify");
        }
    }

    @TestFactory
    Stream<DynamicTest> entriesMarkedForDockerComeUpInOrderAndGoDownLeavingNothing() {
        return CorpusEntry.all().stream().filter(CorpusEntry::onDocker)
                .map(e -> DynamicTest.dynamicTest(e.id() + " (" + e.project() + ")", () -> upAndDown(e)));
    }

    private void upAndDown(CorpusEntry e) throws Exception {
        Path dir = Files.createDirectories(work.resolve(e.id()));
        ComposeImport imported = e.composeFile(dir).load();
        Deployment d = imported.deployment().renamed("corpus-" + e.id()); // never a project of this machine's
        Plan plan = d.plan(imported.selection());
        try (DockerBackend docker = DockerBackend.local().withStandIns(StandIns.defaults()
                .readyAfter(Duration.ofMillis(300)))) {
            Orchestrator ordo = Orchestrator.using(docker).timeout(Duration.ofMinutes(2));
            try {
                RunReport up = ordo.up(plan);
                ReportAssert.assertThat(up).succeeded().respectsDependencies(plan);
                assertThat(docker.observe(d)).as("every node of " + e + " exists").hasSize(plan.nodes().size());
            } finally {
                RunReport down = ordo.down(d, DownOptions.defaults().removeVolumes(true));
                assertThat(down.succeeded()).as(down.render()).isTrue();
                assertThat(docker.observe(d)).as("nothing of " + e + " left").isEmpty();
            }
        }
    }
}
