package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The orchestration layer's pipeline writes real rows ({@link OrchestrationLayer#onRealPostgres}): a real PostgreSQL
 * 15 and the on-demand steps ingestion → processing → recommendation-loader, run by the layer's own triggers through a
 * living deployment; the loader is psql on the PostgreSQL image and inserts one row per run with the {@code MODE} and
 * {@code EVENT_DATE} its container received. The initial load (fired at start) writes its row; then three rehearsal
 * fires of the daily trigger with distinct {@code EVENT_DATE}s write exactly three more, with the right values; then
 * a run whose processing step exits 1 writes nothing (the loader never starts) and is reported failed, naming
 * processing. The HDFS nodes, the API and the two Spark steps are busybox stand-ins.
 */
class PipelineRealRowsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<String> DATES = List.of("2026-02-27", "2026-02-28", "2026-03-01");
    private final BlockingQueue<RunEvent> events = new LinkedBlockingQueue<>();
    private DockerBackend docker;
    private Deployment deployment;

    @BeforeEach
    void realServers() {
        RealServers.requireImages(RealImages.POSTGRES);
        docker = DockerBackend.local();
        docker.ensureStandInImage();
        // the daily trigger fires by interval a day after the start: in the test only by hand
        deployment = OrchestrationLayer.onRealPostgres(Optional.of(Duration.ofDays(1)))
                .renamed(RealServers.uniqueName("ol-real"));
    }

    @AfterEach
    void down() {
        RealServers.downAndClose(docker, deployment);
    }

    @Test
    @Timeout(240)
    void eachRunOfThePipelineLoadsOneRealRowWithItsParametersAndAFailedStepLoadsNone() throws Exception {
        String name = deployment.name();
        try (LiveDeployment live = Orchestrator.using(docker).listener(events::add).timeout(Duration.ofMinutes(2))
                .start(deployment.plan())) {
            assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
            RunEvent initial = next(e -> (e.type() == RunEvent.Type.RUN_SUCCEEDED
                    || e.type() == RunEvent.Type.RUN_FAILED) && e.node().equals(OrchestrationLayer.INITIAL_LOAD));
            assertThat(initial.type()).as(initial.detail()).isEqualTo(RunEvent.Type.RUN_SUCCEEDED);
            assertThat(rows(name)).containsExactly("initial_load|");

            List<String> expected = new ArrayList<>(List.of("initial_load|"));
            for (String date : DATES) {
                RunReport run = live.trigger(OrchestrationLayer.DAILY, Map.of("EVENT_DATE", date))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(run.succeeded()).as(run.render()).isTrue();
                assertThat(run.node("recommendation-loader").exitCode()).hasValue(0);
                assertThat(run.origin().orElseThrow().parameters().get("recommendation-loader"))
                        .containsEntry("MODE", "incremental").containsEntry("EVENT_DATE", date);
                expected.add("incremental|" + date);
                assertThat(rows(name)).as("the table after the run of %s", date).containsExactlyElementsOf(expected);
                System.out.printf("daily run %s (EVENT_DATE=%s): %d ms%n", run.origin().orElseThrow().run(), date,
                        run.duration().toMillis());
            }

            RunReport failed = live.trigger(OrchestrationLayer.DAILY, Map.of("EVENT_DATE", "2026-03-02",
                    StandInNodes.exitVariable("processing"), "1")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.node("ingestion").state()).isEqualTo(NodeState.COMPLETED);
            Failure why = failed.node("processing").failure().orElseThrow();
            assertThat(why.reason()).isEqualTo(Failure.Reason.JOB_FAILED);
            assertThat(why.exitCode()).hasValue(1);
            assertThat(failed.rootFailures()).extracting(t -> t.node()).containsExactly("processing");
            assertThat(failed.node("recommendation-loader").state()).isEqualTo(NodeState.SKIPPED);
            assertThat(failed.node("recommendation-loader").wasStarted()).isFalse();
            assertThat(failed.render()).contains("processing").contains("exited with code 1");
            RunEvent ended = next(e -> e.type() == RunEvent.Type.RUN_FAILED
                    && e.detail().startsWith(failed.origin().orElseThrow().run() + ":"));
            assertThat(ended.detail()).contains("processing").contains("exited with code 1");
            assertThat(rows(name)).as("the table after the failed run").containsExactlyElementsOf(expected);
        }
        RunReport down = Orchestrator.using(docker).down(deployment, DownOptions.defaults().removeVolumes(true));
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(RealServers.leftovers(name)).isEmpty();
    }

    /** The loads table's rows, oldest first, as {@code mode|event_date}, read in the server's own container. */
    private static List<String> rows(String deployment) {
        RealServers.Result r = RealServers.exec(RealServers.container(deployment, "postgres"), "psql", "-U",
                "postgres", "-d", "recommendations", "-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c",
                "SELECT mode, coalesce(event_date::text, '') FROM " + OrchestrationLayer.LOADS_TABLE
                        + " ORDER BY id");
        assertThat(r.code()).as(r.out()).isZero();
        return r.out().lines().filter(l -> !l.isBlank()).toList();
    }

    /** The next event that matches, waiting for it. */
    private RunEvent next(Predicate<RunEvent> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RunEvent e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching event within " + WAIT);
            }
            if (wanted.test(e)) {
                return e;
            }
        }
    }
}
