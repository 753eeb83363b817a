package dev.ordo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeStatus;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.ObservedNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both living examples on the real engine with stand-ins and interval triggers of a few seconds: the steps'
 * containers receive the run's parameters, carry the run's id as a label while they run and are gone once it ends;
 * a backup of a table that is still running is skipped; a manual backup runs alongside; closing the handle leaves
 * the always-on services running.
 */
class LivingDockerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final BlockingQueue<RunEvent> events = new LinkedBlockingQueue<>();
    private final List<RunEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private DockerBackend docker;
    private Deployment deployment;

    @BeforeEach
    void needsDocker() {
        boolean reachable = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!reachable && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("no Docker engine here; run scripts/ensure-docker.sh as root, then mvn verify");
        }
    }

    @AfterEach
    void down() {
        if (docker != null) {
            Orchestrator.using(docker).down(deployment, DownOptions.defaults().removeVolumes(true));
            docker.close();
        }
    }

    @Test
    void theDailyPipelineRunsOnAnIntervalAndItsContainersComeAndGo() throws Exception {
        deployment = OrchestrationLayer.deployment(Optional.of(Duration.ofSeconds(3)));
        docker = DockerBackend.local().withStandIns(OrchestrationLayer.standIns()
                .printsVariables("ingestion", "MODE", "EVENT_DATE")
                .printsVariables("processing", "MODE", "PROCESSING_WINDOW_DAYS"));
        try (LiveDeployment live = Orchestrator.using(docker).listener(this::heard).start(deployment.plan())) {
            assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
            RunEvent started = next(e -> e.type() == RunEvent.Type.RUN_STARTED
                    && e.node().equals(OrchestrationLayer.DAILY));
            String run = started.detail().substring(0, started.detail().indexOf(':'));
            List<String> during = waitForContainers(run, true);
            assertThat(during).as("containers of run %s while it runs", run).isNotEmpty();
            RunEvent ended = next(e -> (e.type() == RunEvent.Type.RUN_SUCCEEDED || e.type() == RunEvent.Type.RUN_FAILED)
                    && e.detail().startsWith(run));
            assertThat(ended.type()).as(ended.detail()).isEqualTo(RunEvent.Type.RUN_SUCCEEDED);
            assertThat(waitForContainers(run, false)).as("containers of run %s once it ended", run).isEmpty();

            RunReport report = live.history(OrchestrationLayer.DAILY).stream()
                    .filter(r -> r.origin().orElseThrow().run().equals(run)).findFirst().orElseThrow();
            String yesterday = LocalDate.ofInstant(report.origin().orElseThrow().firedAt(), ZoneOffset.UTC)
                    .minusDays(1).toString();
            assertThat(report.node("processing").exitCode()).hasValue(0);
            assertThat(live.history(OrchestrationLayer.INITIAL_LOAD)).singleElement()
                    .satisfies(r -> assertThat(r.succeeded()).isTrue());
            // the steps' own output, as their containers printed it, reached the listener
            List<String> logs = seen.stream().filter(e -> e.type() == RunEvent.Type.LOG).map(RunEvent::detail)
                    .toList();
            assertThat(logs).contains("MODE=initial", "MODE=daily", "EVENT_DATE=" + yesterday,
                    "PROCESSING_WINDOW_DAYS=7");
        }
    }

    @Test
    void aBackupOfABusyTableIsSkippedAManualOneRunsAlongsideAndCloseLeavesTheServicesUp() throws Exception {
        ManticoreBackups.Schedules schedules = ManticoreBackups.Schedules.parse(ManticoreBackups.EXAMPLE_SCHEDULES);
        deployment = ManticoreBackups.deployment(schedules, Optional.of(Duration.ofSeconds(2)));
        docker = DockerBackend.local().withStandIns(ManticoreBackups.standIns(Duration.ofSeconds(3))
                .printsVariables("backup", "DATASET", "TYPE"));
        try (LiveDeployment live = Orchestrator.using(docker).listener(this::heard).start(deployment.plan())) {
            assertThat(live.startup().succeeded()).as(live.startup().render()).isTrue();
            var manual = live.trigger(ManticoreBackups.MANUAL, Map.of("DATASET", "orders", "TYPE", "main"));
            // addresses has two schedules on one key: while one of its backups runs, the other's fire is skipped
            RunEvent skipped = next(e -> e.type() == RunEvent.Type.FIRE_SKIPPED);
            assertThat(skipped.node()).startsWith("backup-addresses-");
            assertThat(skipped.detail()).contains("table addresses");
            assertThat(manual.get(WAIT.toSeconds(), TimeUnit.SECONDS).succeeded()).isTrue();
            next(e -> e.type() == RunEvent.Type.RUN_SUCCEEDED && e.node().equals("backup-products-delta"));
            // the addresses backup that ran (the one whose overlap was skipped) prints its variables too, maybe
            // after the products run ended: wait for its line, not for an order between two runs' outputs
            while (seen.stream().noneMatch(e -> e.type() == RunEvent.Type.LOG && e.detail().equals(
                    "DATASET=addresses"))) {
                next(e -> true);
            }
            List<String> logs = seen.stream().filter(e -> e.type() == RunEvent.Type.LOG).map(RunEvent::detail)
                    .toList();
            assertThat(logs).contains("DATASET=orders", "DATASET=products", "DATASET=addresses");
        }
        // closed: no more fires, and the always-on services still run
        List<NodeStatus> status = Orchestrator.using(docker).status(deployment);
        assertThat(status).filteredOn(s -> s.node().equals("manticore") || s.node().equals("orchestrator-api"))
                .hasSize(2).allSatisfy(s -> assertThat(s.state()).as(s.node())
                        .isIn(ObservedNode.State.HEALTHY, ObservedNode.State.RUNNING));
    }

    private void heard(RunEvent e) {
        seen.add(e);
        events.add(e);
    }

    /** The next event that matches, waiting for it (the run listener is fed by the engine as things happen). */
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

    /** The names of the containers labelled with run {@code run}, once they exist ({@code present}) or are gone. */
    private static List<String> waitForContainers(String run, boolean present) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Process p = new ProcessBuilder("docker", "ps", "-a", "--filter", "label=dev.ordo.run=" + run,
                    "--format", "{{.Names}}").redirectErrorStream(true).start();
            List<String> names = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            p.waitFor();
            if (names.isEmpty() != present || System.nanoTime() > deadline) {
                return names;
            }
            TimeUnit.MILLISECONDS.sleep(50); // the next look at the engine; the loop ends on the condition
        }
    }
}
