package dev.ordo.examples;

import static dev.ordo.examples.RealServers.container;
import static dev.ordo.examples.RealServers.finishedAt;
import static dev.ordo.examples.RealServers.firstLine;
import static dev.ordo.examples.RealServers.inspect;
import static dev.ordo.examples.RealServers.lineAfter;
import static dev.ordo.examples.RealServers.logs;
import static dev.ordo.examples.RealServers.startedAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Plan;
import dev.ordo.Service;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CLP on real infrastructure ({@link Clp#onRealInfrastructure()}, type full with the MCP server: 16 nodes): MariaDB
 * 10.11 as {@code database} (root's password from an Ordo secret file), RabbitMQ 3.10 as {@code queue}, Redis 7 as
 * {@code redis}, the real {@code mariadb} client creating CLP's tables as {@code db-table-creator}, and {@code webui}
 * on the MariaDB image, healthy only once it can read {@code clp.archives}; brought up by Ordo's Docker backend. The
 * servers' own logs and answers must show that every dependent started after its dependency really accepted
 * connections, with no retry: MariaDB's "ready for connections" (of the real server, not the entry script's
 * temporary one) before the table creator's start, which succeeded at its first attempt; RabbitMQ's "Server startup
 * complete" and Redis's "Ready to accept connections" before each scheduler's start, and the schedulers' first
 * handshake with each answered. Then a stop must shut every server down cleanly (its own shutdown lines, exit code
 * 0) and only after everything that depends on it had stopped, and down with volumes must leave nothing.
 *
 * <p>Stand-ins (busybox) are: {@code results-cache} (MongoDB is not in Debian, so no real image exists) and with it
 * {@code results-cache-indices-creator}; and CLP's own components — {@code compression-scheduler},
 * {@code query-scheduler}, {@code compression-worker}, {@code query-worker}, {@code reducer}, {@code api-server},
 * {@code log-ingestor}, {@code garbage-collector}, {@code mcp-server} — since the CLP package image is not public.
 * {@code webui} is a stand-in too, but on the MariaDB image so that its health check queries the created tables.
 */
class ClpRealInfrastructureIT {
    private static final List<String> SCHEDULERS = List.of("compression-scheduler", "query-scheduler");
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private DockerBackend docker;
    private Deployment deployment;

    @BeforeEach
    void realServers() {
        RealServers.requireImages(RealImages.MARIADB, RealImages.RABBITMQ, RealImages.REDIS);
        docker = DockerBackend.local();
        docker.ensureStandInImage();
        deployment = Clp.onRealInfrastructure().renamed(RealServers.uniqueName("clp-real"));
    }

    @AfterEach
    void down() {
        RealServers.downAndClose(docker, deployment);
    }

    @Test
    @Timeout(300)
    void everyDependentStartsAfterItsRealDependencyAcceptsConnectionsAndStopsBeforeIt() {
        assertThat(sameTopology(Clp.onRealInfrastructure(), Clp.deployment()))
                .as("the real-infrastructure variant keeps CLP's edges, profiles and restart policies").isTrue();
        Plan plan = deployment.plan(Clp.Type.FULL.selection());
        assertThat(plan.nodes()).hasSize(16);
        String name = deployment.name();

        RunReport up = Orchestrator.using(docker).listener(events::add).timeout(Duration.ofMinutes(3)).up(plan);
        assertThat(up.succeeded()).as(up.render()).isTrue();

        String database = container(name, "database");
        String creator = container(name, "db-table-creator");
        String queue = container(name, "queue");
        String redis = container(name, "redis");
        String webui = container(name, "webui");

        // MariaDB: the entry script's temporary server (no networking) says "ready for connections" too; the line
        // that counts is the real server's, after "init process done"
        RealServers.Line dbReady = lineAfter(database, t -> t.contains("MariaDB init process done"),
                "ready for connections").orElseThrow(() -> new AssertionError("MariaDB never said it was ready:\n"
                        + tail(database)));
        Instant creatorStart = startedAt(creator);
        assertThat(dbReady.at()).as("MariaDB ready (%s) before db-table-creator started (%s)", dbReady.at(),
                creatorStart).isBefore(creatorStart);
        assertThat(up.node("db-table-creator").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(up.node("db-table-creator").exitCode()).hasValue(0);
        assertThat(up.node("db-table-creator").restarts()).isZero();
        assertThat(events).as("db-table-creator's attempts").filteredOn(e -> e.node().equals("db-table-creator"))
                .filteredOn(e -> e.type() == RunEvent.Type.STARTING || e.type() == RunEvent.Type.RESTARTING)
                .extracting(RunEvent::type).containsExactly(RunEvent.Type.STARTING);
        assertThat(inspect(creator, "{{.State.ExitCode}} {{.RestartCount}}")).isEqualTo("0 0");
        assertThat(logs(creator)).extracting(RealServers.Line::text)
                .containsExactly("db-table-creator: connecting to database:3306 (one attempt)",
                        "db-table-creator: created the CLP tables");

        RealServers.Line queueReady = firstLine(queue, "Server startup complete")
                .orElseThrow(() -> new AssertionError("RabbitMQ never completed its start-up:\n" + tail(queue)));
        RealServers.Line redisReady = firstLine(redis, "Ready to accept connections")
                .orElseThrow(() -> new AssertionError("Redis never said it was ready:\n" + tail(redis)));
        for (String s : SCHEDULERS) {
            String id = container(name, s);
            Instant started = startedAt(id);
            assertThat(queueReady.at()).as("RabbitMQ's start-up complete (%s) before %s started (%s)",
                    queueReady.at(), s, started).isBefore(started);
            assertThat(redisReady.at()).as("Redis ready (%s) before %s started (%s)", redisReady.at(), s, started)
                    .isBefore(started);
            assertThat(inspect(id, "{{.State.Status}} {{.RestartCount}}")).as(s).isEqualTo("running 0");
            assertThat(up.node(s).restarts()).as(s).isZero();
            assertThat(logs(id)).extracting(RealServers.Line::text).as("%s's first handshakes", s)
                    .contains("queue:5672 answered the AMQP handshake (Connection.Start from RabbitMQ) at the first"
                            + " attempt")
                    .anySatisfy(l -> assertThat(l).startsWith("redis:6379 answered PING (").endsWith(") at the first"
                            + " attempt"));
        }

        // the tables exist: webui's health check read clp.archives over the network, and the server lists them all
        assertThat(up.node("webui").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(startedAt(webui)).isAfter(finishedAt(creator));
        RealServers.Result tables = RealServers.exec(database, "sh", "-c", "MYSQL_PWD=\"$(cat /run/secrets/"
                + "db-password)\" mariadb -u root -N -B -e \"SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = 'clp'\"");
        assertThat(tables.code()).as(tables.out()).isZero();
        assertThat(tables.out().lines().toList()).containsExactlyInAnyOrderElementsOf(Clp.TABLES);
        RealServers.Result archives = RealServers.exec(webui, "sh", "-c", "MYSQL_PWD=\"$(cat /run/secrets/"
                + "db-password)\" mariadb --protocol=tcp -h database -u root -N -B -e 'SELECT COUNT(*) FROM"
                + " clp.archives'");
        assertThat(archives.out().strip()).as("webui reads clp.archives over the network").isEqualTo("0");

        Map<String, Instant> readyLines = new LinkedHashMap<>();
        readyLines.put("database", dbReady.at());
        readyLines.put("queue", queueReady.at());
        readyLines.put("redis", redisReady.at());
        readyLines.forEach((node, at) -> System.out.printf("%s: container start to ready line %d ms; Ordo healthy"
                        + " at +%d ms of the up (detection latency %s)%n", node,
                Duration.between(startedAt(container(name, node)), at).toMillis(),
                up.node(node).ready().orElseThrow().toMillis(),
                up.node(node).detectionLatency().map(d -> d.toMillis() + " ms").orElse("n/a")));
        System.out.printf("MariaDB ready line to db-table-creator start: %d ms; RabbitMQ ready line to"
                        + " compression-scheduler start: %d ms; up %d ms%n",
                Duration.between(dbReady.at(), creatorStart).toMillis(),
                Duration.between(queueReady.at(), startedAt(container(name, "compression-scheduler"))).toMillis(),
                up.duration().toMillis());

        // stop: each server shuts down cleanly, and only after everything that depends on it has stopped
        RunReport stop = Orchestrator.using(docker).stop(deployment);
        assertThat(stop.succeeded()).as(stop.render()).isTrue();
        System.out.println(up.render());
        System.out.println(stop.render());
        // each server's own lines, after the ready line above (MariaDB's temporary server also shut down, at init);
        // every violation of the order is collected, so that one run names them all
        List<String> stoppedTooLate = new ArrayList<>();
        Map<String, String[]> shutdown = new LinkedHashMap<>();
        shutdown.put("database", new String[] {"Normal shutdown", "mariadbd: Shutdown complete"});
        // RabbitMQ 3.10's console log ends with its message stores (its last line, "Successfully stopped RabbitMQ and
        // its dependencies", goes only to a log file, which this image does not write)
        shutdown.put("queue", new String[] {"SIGTERM received - shutting down", "msg_store_transient' is stopped"});
        shutdown.put("redis", new String[] {"Received SIGTERM scheduling shutdown",
            "Redis is now ready to exit, bye bye"});
        for (var e : shutdown.entrySet()) {
            String server = e.getKey();
            String id = container(name, server);
            Instant ready = readyLines.get(server);
            List<RealServers.Line> after = logs(id).stream().filter(l -> l.at().isAfter(ready)).toList();
            RealServers.Line began = after.stream().filter(l -> l.text().contains(e.getValue()[0])).findFirst()
                    .orElseThrow(() -> new AssertionError(server + " never began a clean shutdown:\n" + tail(id)));
            assertThat(after).as("%s's last words:%n%s", server, tail(id))
                    .anySatisfy(l -> assertThat(l.text()).contains(e.getValue()[1]));
            assertThat(inspect(id, "{{.State.ExitCode}}")).as("%s's exit code", server).isEqualTo("0");
            System.out.printf("%s: shutdown %d ms (first shutdown line to exit)%n", server,
                    Duration.between(began.at(), finishedAt(id)).toMillis());
            dependentServices(plan, server).forEach((dependent, path) -> {
                Instant gone = finishedAt(container(name, dependent));
                if (gone.isAfter(began.at())) {
                    stoppedTooLate.add(dependent + " (" + String.join(" -> ", path) + ") exited at " + gone + ", "
                            + Duration.between(began.at(), gone).toMillis() + " ms after " + server
                            + " began to shut down (" + began.at() + ")");
                }
            });
        }

        RunReport down = Orchestrator.using(docker).down(deployment, DownOptions.defaults().removeVolumes(true));
        assertThat(down.succeeded()).as(down.render()).isTrue();
        assertThat(RealServers.leftovers(name)).isEmpty();
        assertThat(stoppedTooLate).as("services that depend on a server and were still running when it began to"
                + " shut down (the stop's order: %n%s)", stop.render()).isEmpty();
    }

    /**
     * The enabled services that depend on {@code node}, directly or through other nodes, each with a path of
     * dependencies from it to {@code node}.
     */
    private static Map<String, List<String>> dependentServices(Plan plan, String node) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        found.put(node, List.of(node));
        Deque<String> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            for (Node x : plan.nodes()) {
                if (!found.containsKey(x.name()) && x.dependencies().stream().anyMatch(d -> d.target().equals(n))) {
                    List<String> path = new ArrayList<>(List.of(x.name()));
                    path.addAll(found.get(n));
                    found.put(x.name(), path);
                    todo.add(x.name());
                }
            }
        }
        found.remove(node);
        found.keySet().removeIf(n -> !(plan.deployment().requireNode(n) instanceof Service));
        return found;
    }

    /** Whether both deployments have the same nodes with the same dependencies, profiles, pools and policies. */
    private static boolean sameTopology(Deployment a, Deployment b) {
        List<String> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        a.nodes().forEach(n -> x.add(shape(n)));
        b.nodes().forEach(n -> y.add(shape(n)));
        return x.equals(y);
    }

    private static String shape(Node n) {
        return n.kind() + " " + n.name() + " " + n.dependencies() + " " + new java.util.TreeSet<>(n.profiles()) + " "
                + n.pool() + (n instanceof Service s ? " " + s.restartPolicy() : "")
                + (n instanceof dev.ordo.Job j ? " retries " + j.backoffLimit() : "");
    }

    private static String tail(String id) {
        List<RealServers.Line> all = logs(id);
        return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()).stream()
                .map(RealServers.Line::toString).toList());
    }
}
