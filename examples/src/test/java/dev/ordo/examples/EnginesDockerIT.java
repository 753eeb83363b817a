package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeStatus;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AlphaKraken across three real engines (the main engine and the two extra engines scripts/engines.sh starts), its
 * redeploy procedure through the living handle, and ScopeMArchiver on one engine — all with stand-ins.
 */
class EnginesDockerIT {
    private static final List<URI> HOSTS = List.of(URI.create("unix:///var/run/docker.sock"),
            URI.create("unix:///run/ordo-engines/engine-1.sock"), URI.create("unix:///run/ordo-engines/engine-2.sock"));

    @TempDir
    Path secrets;

    private static DockerBackend threeEngines() {
        for (URI h : HOSTS) {
            try (DockerBackend b = DockerBackend.connect(h)) {
                b.engineVersion();
            } catch (RuntimeException e) {
                String msg = "Docker engine " + h + " does not answer (" + e.getMessage() + "); start the engines as"
                        + " root with scripts/ensure-docker.sh";
                if ("true".equals(System.getenv("CI"))) {
                    fail("CI=true requires the engines: " + msg);
                }
                Assumptions.abort(msg);
            }
        }
        return DockerBackend.onEngines(AlphaKraken.placement(), AlphaKraken.engines(HOSTS))
                .withStandIns(AlphaKraken.standIns());
    }

    @Test
    @Timeout(300)
    void alphaKrakenRunsItsProfilesOnThreeEnginesAndGoesDownFromAllOfThem() {
        Plan plan = AlphaKraken.deployment().plan(Selection.profiles("dbs", "infrastructure", "workers", "webapp"));
        try (DockerBackend docker = threeEngines()) {
            try {
                RunReport up = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).up(plan);
                assertThat(up.succeeded()).as(up.render()).isTrue();
                assertThat(up.node("mongodb-service").placement()).contains("dbs-pc");
                assertThat(up.node("webapp").placement()).contains("dbs-pc");
                assertThat(up.node("airflow-scheduler").placement()).contains("infra-pc");
                // a HEALTHY edge across engines: the workers waited for the scheduler on another engine
                assertThat(up.node("airflow-worker-test1").placement()).contains("workers-pc");
                assertThat(up.node("airflow-worker-test1").requested().orElseThrow())
                        .isGreaterThanOrEqualTo(up.node("airflow-scheduler").ready().orElseThrow());
                assertThat(Orchestrator.using(docker).status(plan.deployment()))
                        .filteredOn(s -> s.node().startsWith("airflow-worker"))
                        .extracting(NodeStatus::placement).allSatisfy(p -> assertThat(p).contains("workers-pc"));
                System.out.printf("AlphaKraken stand-ins on three engines: up %d ms%n", up.duration().toMillis());
            } finally {
                RunReport down = Orchestrator.using(docker).down(plan.deployment(),
                        DownOptions.defaults().removeVolumes(true));
                assertThat(down.succeeded()).as(down.render()).isTrue();
            }
            assertThat(Orchestrator.using(docker).status(plan.deployment())).isEmpty();
        }
    }

    @Test
    @Timeout(300)
    void theRedeployDrainsTheFileCopyPoolWaitsForTheCopiesAndRestoresItAcrossEngines() throws Exception {
        Plan v1 = AlphaKraken.deployment("1").plan(Selection.profiles("local"));
        try (DockerBackend docker = threeEngines()) {
            try (LiveDeployment live = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).start(v1)) {
                assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
                List<CompletableFuture<RunReport>> copies = List.of(live.trigger(AlphaKraken.COPY),
                        live.trigger(AlphaKraken.COPY));
                Plan v2 = AlphaKraken.deployment("2").plan(Selection.profiles("local"));
                RunReport up = live.redeploy(v2, Duration.ofMinutes(2), AlphaKraken.FILE_COPY_POOL);
                assertThat(copies).allSatisfy(c -> assertThat(c).as("copies done before anything stopped").isDone());
                for (CompletableFuture<RunReport> c : copies) {
                    assertThat(c.get().succeeded()).as(c.get().render()).isTrue();
                }
                assertThat(up.succeeded()).as(up.render()).isTrue();
                assertThat(up.node("airflow-worker-test1").reused()).isFalse();
                assertThat(up.node("airflow-worker-test1").placement()).contains("workers-pc");
                assertThat(up.node("airflow-scheduler").reused()).isTrue();
                // every copy ended before the first worker was asked to stop
                Instant lastCopyEnd = copies.stream().map(CompletableFuture::join)
                        .map(r -> r.startedAt().plus(r.node(AlphaKraken.COPY).finished().orElseThrow()))
                        .max(Instant::compareTo).orElseThrow();
                assertThat(up.startedAt()).isAfterOrEqualTo(lastCopyEnd);
                RunReport after = live.trigger(AlphaKraken.COPY).get(60, TimeUnit.SECONDS);
                assertThat(after.succeeded()).as("the pool is restored: %s", after.render()).isTrue();
            } finally {
                Orchestrator.using(docker).down(v1.deployment(), DownOptions.defaults().removeVolumes(true));
            }
        }
    }

    @Test
    @Timeout(300)
    void scopemArchiverReadsItsSecretsFromFilesAndArchivesOneAtATime() throws Exception {
        for (String f : ScopeMArchiver.SECRET_FILES) {
            Files.writeString(secrets.resolve(f), "secret-" + f + "\n");
        }
        Plan plan = ScopeMArchiver.deployment(secrets).plan();
        try (DockerBackend docker = DockerBackend.local().withStandIns(ScopeMArchiver.standIns(Duration.ofSeconds(1)))) {
            try (LiveDeployment live = Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).start(plan)) {
                RunReport startup = live.startup();
                assertThat(startup.succeeded()).as(startup.render()).isTrue();
                assertThat(startup.node("prefect-archival-worker").requested().orElseThrow())
                        .isGreaterThanOrEqualTo(startup.node("prefect-config").finished().orElseThrow());
                List<CompletableFuture<RunReport>> archives = List.of(live.trigger(ScopeMArchiver.ARCHIVE),
                        live.trigger(ScopeMArchiver.ARCHIVE));
                List<RunReport> done = List.of(archives.get(0).get(60, TimeUnit.SECONDS),
                        archives.get(1).get(60, TimeUnit.SECONDS));
                assertThat(done).allSatisfy(r -> assertThat(r.succeeded()).as(r.render()).isTrue());
                Instant firstEnd = done.get(0).startedAt().plus(done.get(0).node(ScopeMArchiver.ARCHIVE).finished()
                        .orElseThrow());
                Instant secondStart = done.get(1).startedAt().plus(done.get(1).node(ScopeMArchiver.ARCHIVE)
                        .started().orElseThrow());
                assertThat(secondStart).as("one writer to the LTS at a time").isAfterOrEqualTo(firstEnd);
            } finally {
                Orchestrator.using(docker).down(plan.deployment(), DownOptions.defaults().removeVolumes(true));
            }
        }
    }
}
