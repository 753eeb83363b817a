package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ScopeMArchiver in virtual time: the configuration job gates the workers; the LTS pool serialises archives. */
class ScopeMArchiverTest {
    @TempDir
    Path secrets;

    private Plan plan() throws Exception {
        for (String f : ScopeMArchiver.SECRET_FILES) {
            Files.writeString(secrets.resolve(f), "value-of-" + f + "\n");
        }
        return ScopeMArchiver.deployment(secrets).plan();
    }

    @Test
    void theConfigurationJobCompletesBeforeEitherWorkerStarts() throws Exception {
        Plan plan = plan();
        RunReport up = Orchestrator.using(ScopeMArchiver.simulated()).up(plan);
        ReportAssert.assertThat(up).succeeded().respectsDependencies(plan)
                .startedAt("prefect-server", Duration.ofSeconds(3))
                .startedAt("prefect-config", Duration.ofSeconds(18))
                .startedAt("prefect-archival-worker", Duration.ofSeconds(26))
                .startedAfter("prefect-retrieval-worker", "prefect-config")
                .criticalPathIs("prefect-db", "prefect-server", "prefect-config", "prefect-archival-worker");
        assertThat(up.nodes()).extracting(t -> t.node()).doesNotContain(ScopeMArchiver.ARCHIVE);
    }

    @Test
    void aFailedConfigurationKeepsTheWorkersFromStarting() throws Exception {
        Plan plan = plan();
        RunReport up = Orchestrator.using(ScopeMArchiver.simulated()
                .exitsAfter("prefect-config", Duration.ofSeconds(2), 1)
                .logs("prefect-config", "ERROR: concurrency limit 'lts-write' rejected")).up(plan);
        ReportAssert.assertThat(up).failedWith("prefect-config", Failure.Reason.JOB_FAILED)
                .neverStarted("prefect-archival-worker").neverStarted("prefect-retrieval-worker");
        // two retries, then the last attempt's code: three attempts of 2 s
        assertThat(up.node("prefect-config").failure().orElseThrow().exitCode()).hasValue(1);
        assertThat(up.node("prefect-config").finished()).contains(Duration.ofSeconds(18 + 6));
        assertThat(up.render()).contains("ERROR: concurrency limit 'lts-write' rejected");
    }

    @Test
    void archivesWriteToTheLtsOneAtATimeAndNoneIsDropped() throws Exception {
        try (LiveDeployment live = Orchestrator.using(ScopeMArchiver.simulated()).start(plan())) {
            assertThat(live.startup().succeeded()).isTrue();
            List<CompletableFuture<RunReport>> archives = List.of(live.trigger(ScopeMArchiver.ARCHIVE),
                    live.trigger(ScopeMArchiver.ARCHIVE), live.trigger(ScopeMArchiver.ARCHIVE));
            RunReport retrieval = live.trigger(ScopeMArchiver.RETRIEVE).join();
            List<RunReport> done = archives.stream().map(CompletableFuture::join).toList();
            assertThat(done).allMatch(RunReport::succeeded);
            assertThat(retrieval.succeeded()).isTrue();
            // each archive started when the previous one ended (30 minutes apart); the retrieval did not wait
            List<java.time.Instant> starts = done.stream().map(r -> r.startedAt()
                    .plus(r.node(ScopeMArchiver.ARCHIVE).started().orElseThrow())).sorted().toList();
            assertThat(Duration.between(starts.get(0), starts.get(1))).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
            assertThat(Duration.between(starts.get(1), starts.get(2))).isGreaterThanOrEqualTo(Duration.ofMinutes(30));
            assertThat(retrieval.duration()).isLessThan(Duration.ofMinutes(11));
            assertThat(done.get(0).node(ScopeMArchiver.ARCHIVE).state()).isEqualTo(NodeState.COMPLETED);
        }
    }
}
