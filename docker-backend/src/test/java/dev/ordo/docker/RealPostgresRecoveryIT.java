package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.ordo.Deployment;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeStatus;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import dev.ordo.spi.ObservedNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real PostgreSQL ({@link RealPostgres}) when what runs it dies: the JVM that was bringing it up (SIGKILL), or its
 * Docker engine (a restart, as a package upgrade or a service manager does it); and its password, with every logger
 * of a whole up/down scenario at TRACE.
 */
class RealPostgresRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private DockerBackend docker;
    private String name;
    private String password;

    @BeforeEach
    void open() {
        RealImages.require(RealImages.POSTGRES);
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("rpgr");
        password = RealPostgres.newPassword();
    }

    @AfterEach
    void close() {
        try {
            Orchestrator.using(docker).down(Deployment.builder(name).build(), DownOptions.defaults()
                    .removeVolumes(true).gracePeriod(Duration.ZERO));
        } finally {
            DockerTestSupport.purge(name);
            docker.close();
        }
    }

    private Secret secret() {
        return Secret.literal(RealPostgres.SECRET, password);
    }

    /** A JVM running {@link RealPostgresVictim} with the password in its environment; its output is collected. */
    private record Victim(Process process, StringBuffer output) {
        String text() {
            return output.toString();
        }
    }

    private Victim victim(String mode, String logLevel) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel,
                "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", System.getProperty("java.class.path"),
                RealPostgresVictim.class.getName(), mode, name)).redirectErrorStream(true);
        pb.environment().put(RealPostgres.PASSWORD_VARIABLE, password);
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                byte[] buf = new byte[8192];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ended) {
                // the JVM was killed
            }
        }, "victim-output");
        drain.setDaemon(true);
        drain.start();
        return new Victim(p, out);
    }

    /** Where a victim that did not end was: its threads (jcmd), kept with its output in a file named here. */
    private String stuck(Victim victim) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(victim.process().pid()), "Thread.print").redirectErrorStream(true).start();
        String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        victim.process().destroyForcibly();
        Path file = Path.of("target", "real-postgres-victim-" + name + ".txt").toAbsolutePath();
        Files.writeString(file, victim.text() + "\n\n" + threads);
        List<String> lines = victim.text().lines().toList();
        return "its output and threads are in " + file + "; its last lines:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Polls {@code value} until it equals {@code expected}; fails after {@link #WAIT} naming {@code what}. */
    private static void await(String what, Supplier<Optional<String>> value, String expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<String> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            last = value.get();
            if (last.filter(expected::equals).isPresent()) {
                return;
            }
            pause();
        }
        fail(what + ": still " + last.orElse("no answer") + " after " + WAIT.toSeconds() + " s, expected "
                + expected);
    }

    private static void pause() {
        try {
            Thread.sleep(200); // between polls of a condition that has a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(300)
    void aJvmKilledMidUpLeavesPostgresRunningAndTheNextUpConvergesOnItsData() throws Exception {
        // a real deployment gets no reaper unless it asks (DockerBackend#withReaper): what it brought up outlives it
        assertThat(DockerBackend.local().reaping()).isFalse();
        Deployment d = RealPostgres.slowWriter(name, secret(), 1);
        Victim victim = victim("kill", "warn");
        try {
            await("the victim's writer's rows", () -> victim.process().isAlive()
                    ? RealPostgres.tryQuery(docker, d, "SELECT count(*) FROM writer_runs")
                    : Optional.of("the victim JVM ended:\n" + victim.text()), "1");
            assertThat(victim.process().isAlive()).as("the up waits for the writer's long first run").isTrue();
        } finally {
            victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        InspectContainerResponse db = DockerTestSupport.inspect(name, "db");
        assertThat(db.getState().getRunning()).as("db outlives the JVM that brought it up").isTrue();
        assertThat(db.getConfig().getLabels()).as("no reaper watched it").doesNotContainKey(Labels.SESSION);
        assertThat(DockerTestSupport.inspect(name, "writer").getState().getRunning())
                .as("the writer's first run goes on").isTrue();

        RunReport up = Orchestrator.using(docker).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(up.node("db").reused()).isTrue();
        assertThat(DockerTestSupport.inspect(name, "db").getId()).isEqualTo(db.getId());
        assertThat(RealPostgres.starts(RealPostgres.serverLog(RealPostgres.localEngine(), db.getId())))
                .as("PostgreSQL started once").isEqualTo(1);
        // the killed up never saw the writer complete: its container, still at work, is stopped (SIGTERM) and the
        // writer runs again, on the same data (a job runs at least once)
        assertThat(up.node("writer").reused()).isFalse();
        assertThat(RealPostgres.query(docker, d, "SELECT count(*) FROM writer_runs")).isEqualTo("2");
        assertThat(RealPostgres.query(docker, d, "SELECT count(*) FROM items")).isEqualTo("3");

        RunReport down = Orchestrator.using(docker).down(d, DownOptions.defaults().removeVolumes(true));
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.volumes(name)).isZero();
        assertThat(DockerTestSupport.networks(name)).isZero();
        assertThat(Path.of("/dev/shm/ordo-secrets", name)).as("the secret files kept in memory").doesNotExist();
    }

    @Test
    @Timeout(300)
    void aReaperRemovesWhatAKilledJvmCreatedButNotTheDataVolumeFromBeforeItsSession() throws Exception {
        Deployment d = RealPostgres.slowWriter(name, secret(), 2);
        // the database exists before the session (created here, without a reaper); down keeps its volume
        RunReport first = Orchestrator.using(docker).up(d.plan());
        assertThat(first.succeeded()).as(first.render()).isTrue();
        assertThat(Orchestrator.using(docker).down(d).succeeded()).isTrue();
        String volume = d.volume("pgdata").platformName(d.name());

        Victim victim = victim("reap", "warn");
        try {
            await("the victim's writer's rows", () -> victim.process().isAlive()
                    ? RealPostgres.tryQuery(docker, d, "SELECT count(*) FROM writer_runs")
                    : Optional.of("the victim JVM ended:\n" + victim.text()), "2");
            assertThat(DockerTestSupport.inspect(name, "db").getConfig().getLabels())
                    .as("a reaper watches the session").containsKey(Labels.SESSION);
        } finally {
            victim.process().destroyForcibly();
            assertThat(victim.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // as documented (README, "Cleanup that survives the JVM"): what the session created goes ...
        await("containers and networks of the killed session", () -> Optional.of(Integer.toString(
                DockerTestSupport.containers(name).size() + DockerTestSupport.networks(name))), "0");
        // ... and the volume, made before the session, is not the reaper's to remove
        assertThat(DockerTestSupport.volumeExists(volume)).as("volume %s", volume).isTrue();

        RunReport up = Orchestrator.using(docker).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(RealPostgres.query(docker, d, "SELECT count(*) FROM items")).isEqualTo("3");
        assertThat(RealPostgres.query(docker, d, "SELECT count(*) FROM writer_runs")).isEqualTo("3");
    }

    @Test
    @Timeout(300)
    void postgresUnderARestartPolicyComesBackWithItsRowsWhenItsEngineRestarts() {
        try (PrivateEngine engine = PrivateEngine.start();
             DockerClient client = DockerTestSupport.client(engine.uri());
             DockerBackend backend = DockerBackend.connect(engine.uri())) {
            RealImages.loadInto(engine.uri(), RealImages.POSTGRES);
            Deployment d = RealPostgres.dbOnly(name, secret(), RestartPolicy.UNLESS_STOPPED);
            try {
                RunReport up = Orchestrator.using(backend).up(d.plan());
                assertThat(up.succeeded()).as(up.render()).isTrue();
                RealPostgres.query(backend, d, "CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);"
                        + " INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
                String container = name + "-db-1";
                InspectContainerResponse before = client.inspectContainerCmd(container).exec();

                engine.restart();
                await("db's rows after the engine restarted", () -> RealPostgres.tryQuery(backend, d,
                        "SELECT count(*) FROM items"), "3");
                InspectContainerResponse after = client.inspectContainerCmd(container).exec();
                assertThat(after.getId()).as("the same container, started again by the engine").isEqualTo(
                        before.getId());
                assertThat(Instant.parse(after.getState().getStartedAt()))
                        .isAfter(Instant.parse(before.getState().getStartedAt()));
                List<String> log = RealPostgres.serverLog(engine.uri(), container);
                assertThat(RealPostgres.starts(log)).isEqualTo(2);
                assertThat(log).anyMatch(l -> l.contains("received fast shutdown request"))
                        .anyMatch(l -> l.contains(RealPostgres.SHUT_DOWN))
                        .noneMatch(l -> l.contains("not properly shut down"));

                // what Ordo says of it: running, as defined, once Docker's own check passed again healthy
                await("Ordo's status of db", () -> Orchestrator.using(backend).status(d).stream()
                        .filter(s -> s.node().equals("db")).findFirst().map(NodeStatus::state)
                        .map(ObservedNode.State::name), "HEALTHY");
                NodeStatus db = Orchestrator.using(backend).status(d).get(0);
                assertThat(db.upToDate()).isTrue();
                assertThat(db.replicas()).isEqualTo(1);
                System.out.printf("engine restart: Docker reports RestartCount %d for db (was %d)%n",
                        after.getRestartCount(), before.getRestartCount());

                RunReport again = Orchestrator.using(backend).up(d.plan());
                assertThat(again.succeeded()).as(again.render()).isTrue();
                assertThat(again.node("db").reused()).isTrue();
                assertThat(client.inspectContainerCmd(container).exec().getId()).isEqualTo(before.getId());
                assertThat(RealPostgres.query(backend, d, "SELECT count(*) FROM items")).isEqualTo("3");
            } finally {
                Orchestrator.using(backend).down(d, DownOptions.defaults().removeVolumes(true));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(300)
    void noPasswordInAnyOutputLineOfAWholeScenarioWithEveryLoggerAtTrace() throws Exception {
        Victim victim = victim("scenario", "trace");
        if (!victim.process().waitFor(240, TimeUnit.SECONDS)) {
            fail("the victim's scenario did not end within 240 s; " + stuck(victim));
        }
        String text = victim.text();
        assertThat(text).as("the victim ran").contains("VICTIM OK");
        assertThat(text).as("loggers were at TRACE").contains("TRACE").contains("DEBUG");
        assertThat(text).as("the containers' output was printed too").contains("writer: rows written")
                .contains(RealPostgres.READY);
        List<String> leaks = new ArrayList<>();
        text.lines().filter(l -> l.contains(password)).forEach(leaks::add);
        assertThat(leaks).as("lines with the password").isEmpty();
        assertThat(Files.exists(Path.of("/dev/shm/ordo-secrets", name))).isFalse();
        assertThat(Map.of("containers", DockerTestSupport.containers(name).size(), "volumes",
                DockerTestSupport.volumes(name))).containsEntry("containers", 0).containsEntry("volumes", 0);
    }
}
