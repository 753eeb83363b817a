package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.ExecResult;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a user relies on when Ordo runs a real PostgreSQL ({@code ordo-real/postgres:15}, see {@link RealPostgres}):
 * healthy means it accepts queries, its data lives in the named volume across {@code down} and {@code up} (and goes
 * with {@code removeVolumes}), an {@code up} that changes another node leaves it alone, {@code down} stops it cleanly
 * with its own stop signal, and its password comes from the secret file and shows nowhere else. The tests that kill
 * a JVM or an engine are in {@link RealPostgresRecoveryIT}.
 */
class RealPostgresIT {
    private static final URI ENGINE = RealPostgres.localEngine();
    private DockerBackend docker;
    private String name;
    private String password;

    @BeforeEach
    void open() {
        RealImages.require(RealImages.POSTGRES);
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("rpg");
        password = RealPostgres.newPassword();
    }

    @AfterEach
    void close() {
        try {
            // also removes the secret files kept in memory for the deployment's containers
            Orchestrator.using(docker).down(Deployment.builder(name).build(), DownOptions.defaults()
                    .removeVolumes(true).gracePeriod(Duration.ZERO));
        } finally {
            DockerTestSupport.purge(name);
            docker.close();
        }
    }

    private Deployment deployment() {
        return RealPostgres.deployment(name, Secret.literal(RealPostgres.SECRET, password));
    }

    private RunReport up(Deployment d) {
        RunReport r = Orchestrator.using(docker).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        return r;
    }

    private String query(Deployment d, String sql) {
        return RealPostgres.query(docker, d, sql);
    }

    private List<String> dbLog() {
        return RealPostgres.serverLog(ENGINE, DockerTestSupport.inspect(name, "db").getId());
    }

    @Test
    @Timeout(120)
    void theWriterStartsOnlyOnceThePostgresAcceptsQueriesAndSucceedsAtItsFirstAttempt() {
        Deployment d = deployment();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport r = Orchestrator.using(docker).listener(events::add).up(d.plan());
        assertThat(r.succeeded()).as(r.render()).isTrue();
        NodeTimeline db = r.node("db");
        NodeTimeline writer = r.node("writer");
        assertThat(db.state()).isEqualTo(NodeState.HEALTHY);
        assertThat(writer.state()).isEqualTo(NodeState.COMPLETED);
        assertThat(writer.gatedBy()).contains("db");
        assertThat(writer.requested().orElseThrow()).isGreaterThanOrEqualTo(db.ready().orElseThrow());
        // its first attempt succeeded: one start, no retry (it has 3 it would have used had it started too early)
        assertThat(writer.restarts()).isZero();
        assertThat(events).filteredOn(e -> e.node().equals("writer") && e.type() == RunEvent.Type.STARTED).hasSize(1);
        assertThat(events).filteredOn(e -> e.node().equals("writer") && e.type() == RunEvent.Type.RESTARTING)
                .isEmpty();
        assertThat(events).filteredOn(e -> e.node().equals("writer") && e.type() == RunEvent.Type.LOG)
                .extracting(RunEvent::detail).contains("writer: rows written");

        // the server's own word: it accepted connections before the writer's container started
        List<String> log = dbLog();
        Instant ready = RealPostgres.lastReady(log);
        InspectContainerResponse writerContainer = DockerTestSupport.inspect(name, "writer");
        Instant writerStarted = Instant.parse(writerContainer.getState().getStartedAt());
        assertThat(ready).as("PostgreSQL's ready line, then the writer's start").isBefore(writerStarted);
        assertThat(writerContainer.getState().getExitCodeLong()).isZero();
        assertThat(query(d, "SELECT string_agg(name, ',' ORDER BY id) FROM items")).isEqualTo("one,two,three");

        // figures, not assertions: the first start includes initdb and the entry script's init server
        Instant dbStarted = Instant.parse(DockerTestSupport.inspect(name, "db").getState().getStartedAt());
        System.out.printf("real postgres: first start ready %d ms after its container started (initdb included);"
                        + " Ordo saw it healthy within %s; writer container started %d ms after the ready line%n",
                Duration.between(dbStarted, ready).toMillis(), db.detectionLatency().map(Duration::toString)
                        .orElse("?"), Duration.between(ready, writerStarted).toMillis());
    }

    @Test
    @Timeout(180)
    void rowsSurviveDownAndUpAndGoWithRemoveVolumes() {
        Deployment d = deployment();
        up(d);
        String marker = "kept-" + name;
        query(d, "INSERT INTO items VALUES (42, '" + marker + "')");

        RunReport down = Orchestrator.using(docker).down(d);
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        String volume = d.volume("pgdata").platformName(d.name());
        assertThat(DockerTestSupport.volumeExists(volume)).as("volume %s after down", volume).isTrue();

        RunReport again = up(d);
        assertThat(again.node("db").reused()).as("db was removed by down").isFalse();
        assertThat(query(d, "SELECT name FROM items WHERE id = 42")).isEqualTo(marker);
        assertThat(query(d, "SELECT count(*) FROM items")).isEqualTo("4");
        assertThat(query(d, "SELECT count(*) FROM writer_runs")).as("the writer ran again, on the same data")
                .isEqualTo("2");
        assertThat(dbLog()).anyMatch(l -> l.contains("database directory appears to contain a database"))
                .noneMatch(l -> l.contains("initialising a new cluster"));

        RunReport removed = Orchestrator.using(docker).down(d, DownOptions.defaults().removeVolumes(true));
        assertThat(removed.succeeded()).as(removed.render()).isTrue();
        assertThat(DockerTestSupport.volumeExists(volume)).as("volume %s after down -v", volume).isFalse();

        up(d);
        assertThat(dbLog()).anyMatch(l -> l.contains("initialising a new cluster"));
        assertThat(query(d, "SELECT count(*) FROM items WHERE id = 42")).isEqualTo("0");
        assertThat(query(d, "SELECT count(*) FROM writer_runs")).as("a fresh database").isEqualTo("1");
    }

    @Test
    @Timeout(120)
    void anUpAfterAnotherNodeChangedLeavesPostgresAlone() {
        Deployment d = deployment().toBuilder().service("cache", s -> s.image(DockerTestSupport.IMAGE)
                .shell(DockerTestSupport.IDLE).env("GENERATION", "1")).build();
        up(d);
        InspectContainerResponse before = DockerTestSupport.inspect(name, "db");

        Deployment changed = d.toBuilder()
                .service("cache", s -> s.image(DockerTestSupport.IMAGE).shell(DockerTestSupport.IDLE)
                        .env("GENERATION", "2"))
                .service("search", s -> s.image(DockerTestSupport.IMAGE).shell(DockerTestSupport.IDLE))
                .build();
        RunReport r = up(changed);
        assertThat(r.node("cache").reused()).as("cache changed").isFalse();
        assertThat(r.node("db").reused()).isTrue();
        assertThat(r.node("writer").reused()).as("a completed job is not run again").isTrue();

        InspectContainerResponse after = DockerTestSupport.inspect(name, "db");
        assertThat(after.getId()).isEqualTo(before.getId());
        assertThat(after.getRestartCount()).isZero();
        assertThat(after.getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
        assertThat(RealPostgres.starts(dbLog())).as("PostgreSQL started once").isEqualTo(1);
        assertThat(query(changed, "SELECT count(*) FROM writer_runs")).isEqualTo("1");
    }

    @Test
    @Timeout(120)
    void anUpThatChangesPostgresStopsItCleanlyBeforeItRecreatesIt() {
        Deployment d = deployment();
        up(d);
        String before = DockerTestSupport.inspect(name, "db").getId();
        Deployment changed = d.toBuilder().service("db", s -> s.image(RealPostgres.IMAGE)
                .volume("pgdata", "/var/lib/postgresql/data")
                .secret(SecretRef.file(RealPostgres.SECRET).owner(999, 999).mode(0400))
                .env("POSTGRES_PASSWORD_FILE", RealPostgres.SECRET_PATH)
                .env("PGTZ", "UTC") // any change of its definition: the container is recreated
                .healthCheck(d.requireNode("db").container().healthCheck().orElseThrow())).build();
        RunReport r = up(changed);
        assertThat(r.node("db").reused()).isFalse();
        assertThat(DockerTestSupport.inspect(name, "db").getId()).isNotEqualTo(before);
        // the new server's first words on the volume say how the old one left it
        assertThat(dbLog()).anyMatch(l -> l.contains("database system was shut down at"))
                .noneMatch(l -> l.contains("not properly shut down"))
                .noneMatch(l -> l.contains("automatic recovery in progress"))
                .noneMatch(l -> l.contains("database system was interrupted"));
        assertThat(query(changed, "SELECT count(*) FROM items")).isEqualTo("3");
    }

    @Test
    @Timeout(120)
    void downStopsPostgresWithItsOwnSignalAndTheNextStartNeedsNoRecovery() throws Exception {
        Deployment d = deployment();
        up(d);
        String id = DockerTestSupport.inspect(name, "db").getId();
        ByteArrayOutputStream stopLog = new ByteArrayOutputStream();
        var follow = DockerTestSupport.client().logContainerCmd(id).withFollowStream(true).withStdOut(true)
                .withStdErr(true).withTail(0).exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame f) {
                        synchronized (stopLog) {
                            stopLog.writeBytes(f.getPayload());
                        }
                    }
                });
        RunReport down = Orchestrator.using(docker).down(d);
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(follow.awaitCompletion(60, TimeUnit.SECONDS)).as("the log stream ends with the container")
                .isTrue();
        List<String> lines;
        synchronized (stopLog) {
            lines = stopLog.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).as("what PostgreSQL said while down stopped it")
                .anyMatch(l -> l.contains("received fast shutdown request")); // SIGINT, the image's STOPSIGNAL
        assertThat(lines).last().asString().contains(RealPostgres.SHUT_DOWN);

        up(d);
        assertThat(dbLog()).anyMatch(l -> l.contains("database system was shut down at"))
                .noneMatch(l -> l.contains("not properly shut down"))
                .noneMatch(l -> l.contains("automatic recovery in progress"))
                .noneMatch(l -> l.contains("database system was interrupted"));
        assertThat(query(d, "SELECT count(*) FROM items")).isEqualTo("3");
    }

    @Test
    @Timeout(120)
    void aSecretFileOnlyRootMayReadFailsPostgresWithItsWordsAndOrdosFix() {
        // the mistake: the secret with its default owner and mode (root, 0400); the server reads it as uid 999
        Deployment d = Deployment.builder(name).secret(Secret.literal(RealPostgres.SECRET, password))
                .service("db", s -> s.image(RealPostgres.IMAGE).secret(RealPostgres.SECRET)
                        .env("POSTGRES_PASSWORD_FILE", RealPostgres.SECRET_PATH)
                        .healthCheck(HealthCheck.command("pg_isready", "-U", "postgres")))
                .build();
        RunReport r = Orchestrator.using(docker).up(d.plan());
        assertThat(r.succeeded()).isFalse();
        assertThat(r.render()).as("the server's words").contains("POSTGRES_PASSWORD_FILE=" + RealPostgres.SECRET_PATH
                + ": cannot read that file");
        assertThat(r.node("db").failure().orElseThrow().message()).as("the thing at fault and the fix")
                .contains("service 'db' exited with code 1")
                .contains("secret 'pg-password' is mounted at " + RealPostgres.SECRET_PATH + " owned by root")
                .contains(".secret(SecretRef.file(\"pg-password\").owner(999, 999))");
    }

    @Test
    @Timeout(120)
    void postgresTakesItsPasswordFromTheSecretFileAndNoInspectShowsIt() {
        Deployment d = deployment();
        up(d); // the writer authenticated over the network with the same secret
        InspectContainerResponse db = DockerTestSupport.inspect(name, "db");
        String ip = db.getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        // over the network (loopback is trusted by initdb's defaults, as in the official image)
        ExecResult wrong = docker.exec(d, "db", List.of("env", "PGPASSWORD=not-" + password, "psql", "-h", ip,
                "-U", "postgres", "-c", "SELECT 1"));
        assertThat(wrong.exitCode()).as(wrong.text()).isNotZero();
        assertThat(wrong.text()).contains("password authentication failed for user \"postgres\"");
        ExecResult right = docker.exec(d, "db", List.of("env", "PGPASSWORD=" + password, "psql", "-h", ip,
                "-U", "postgres", "-tAc", "SELECT current_user"));
        assertThat(right.exitCode()).as(right.text()).isZero();
        assertThat(right.text().strip()).isEqualTo("postgres");

        ExecResult file = docker.exec(d, "db", List.of("stat", "-c", "%u:%g %a", RealPostgres.SECRET_PATH));
        assertThat(file.text().strip()).as("owned by the server's user, readable by it alone").isEqualTo("999:999 400");
        assertThat(db.getConfig().getEnv()).contains("POSTGRES_PASSWORD_FILE=" + RealPostgres.SECRET_PATH)
                .noneMatch(e -> e.contains(password)).noneMatch(e -> e.startsWith("POSTGRES_PASSWORD="));
        for (String node : List.of("db", "writer")) {
            String id = DockerTestSupport.inspect(name, node).getId();
            assertThat(RealPostgres.docker(ENGINE, "inspect", id)).as("docker inspect of %s", node)
                    .doesNotContain(password);
            assertThat(RealPostgres.docker(ENGINE, "logs", id)).as("the output of %s", node)
                    .doesNotContain(password);
        }
    }
}
