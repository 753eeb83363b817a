package dev.ordo.docker;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.docker.internal.DockerRuntime;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One deployment over three real engines on this machine (the main one and the two extra engines
 * scripts/engines.sh starts): nodes reach nodes of other engines by name, the report names each node's engine, up
 * is idempotent per engine, a node moved to another engine is recreated there, down leaves nothing anywhere, and an
 * engine killed mid-up ends the run naming it while TEAR_DOWN removes what started on the others.
 */
class MultiEngineIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private static final Map<String, URI> HOSTS = new java.util.LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();

    @BeforeAll
    static void engines() {
        DockerTestSupport.backend().close(); // the main engine answers and has the image
        HOSTS.put("main", DockerBackend.local().host());
        HOSTS.put("e1", ExtraEngines.require(1));
        HOSTS.put("e2", ExtraEngines.require(2));
        for (URI host : HOSTS.values()) {
            try (DockerRuntime rt = DockerRuntime.connect(host)) {
                rt.ensureStandInImage();
            }
        }
    }

    private static DockerBackend backend(Placement placement) {
        return DockerBackend.onEngines(placement, HOSTS.entrySet().stream()
                .map(e -> DockerEngine.at(e.getKey(), e.getValue())).toList());
    }

    private String name(String base) {
        String n = DockerTestSupport.uniqueName(base);
        names.add(n);
        return n;
    }

    @AfterEach
    void purge() {
        for (String n : names) {
            HOSTS.values().forEach(h -> {
                try (DockerClient c = client(h)) {
                    for (Container x : containers(c, n)) {
                        c.removeContainerCmd(x.getId()).withForce(true).exec();
                    }
                    c.listNetworksCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + n)).exec()
                            .forEach(net -> c.removeNetworkCmd(net.getId()).exec());
                } catch (Exception ignored) {
                    // best effort: a failed test must not leak into the next
                }
            });
        }
    }

    private static DockerClient client(URI host) {
        return DockerTestSupport.client(host);
    }

    private static List<Container> containers(DockerClient c, String deployment) {
        return c.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.DEPLOYMENT + "=" + deployment)).exec();
    }

    /** Node name -> engine, from the containers each engine holds. */
    private static Map<String, String> where(String deployment) throws Exception {
        Map<String, String> where = new java.util.TreeMap<>();
        for (var e : HOSTS.entrySet()) {
            try (DockerClient c = client(e.getValue())) {
                containers(c, deployment).forEach(x -> where.put(x.getLabels().get(Labels.NODE), e.getKey()));
            }
        }
        return where;
    }

    /**
     * web (an HTTP server) on e1, a client job on e2 that fetches from it by name and prints what it got, an api on
     * the main engine that needs the client done and web healthy and checks web is reachable before it runs, and a
     * peer on e1 that reaches web over their shared network.
     */
    private static Deployment webAndClients(String name) {
        return Deployment.builder(name)
                .service("web", s -> s.image(IMAGE).command("httpd", "-f", "-p", "18080", "-h", "/").port(18080)
                        .healthCheck(HealthCheck.http(18080, "/etc/hostname").interval(Duration.ofSeconds(1))))
                .job("client", j -> j.image(IMAGE).dependsOn("web", HEALTHY)
                        .command("sh", "-c", "echo fetched $(wget -q -O - http://web:18080/etc/hostname)"))
                .service("api", s -> s.image(IMAGE).dependsOn("client", COMPLETED_SUCCESSFULLY)
                        .command("sh", "-c", "wget -q -O /dev/null http://web:18080/etc/hostname && exec sleep 3600"))
                .service("peer", s -> s.image(IMAGE).dependsOn("web", HEALTHY)
                        .command("sh", "-c", "wget -q -O /dev/null http://web:18080/etc/hostname && exec sleep 3600"))
                .build();
    }

    private static Placement spread() {
        return Placement.builder().node("web", "e1").node("peer", "e1").node("client", "e2").otherwise("main")
                .build();
    }

    @Test
    @Timeout(180)
    void nodesReachNodesOfOtherEnginesByNameAndTheReportNamesEachEngine() throws Exception {
        Deployment d = webAndClients(name("multi"));
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (DockerBackend docker = backend(spread())) {
            RunReport up = Orchestrator.using(docker).listener(events::add).timeout(Duration.ofSeconds(60))
                    .up(d.plan());
            assertThat(up.succeeded()).as(up.render()).isTrue();
            assertThat(up.node("web").placement()).contains("e1");
            assertThat(up.node("client").placement()).contains("e2");
            assertThat(up.node("api").placement()).contains("main");
            assertThat(up.render()).contains("engine").contains(" e1 ").contains(" e2 ").contains(" main ");
            assertThat(where(d.name())).containsExactlyInAnyOrderEntriesOf(
                    Map.of("web", "e1", "peer", "e1", "client", "e2", "api", "main"));
            // the client on e2 really reached web on e1, by name: it printed the web container's hostname
            String webHostname;
            try (DockerClient c = client(HOSTS.get("e1"))) {
                webHostname = containers(c, d.name()).stream()
                        .filter(x -> "web".equals(x.getLabels().get(Labels.NODE))).findFirst().orElseThrow()
                        .getId().substring(0, 12);
            }
            assertThat(events).filteredOn(e -> e.type() == RunEvent.Type.LOG && e.node().equals("client"))
                    .extracting(RunEvent::detail).anySatisfy(l -> assertThat(l).contains("fetched " + webHostname));
            // peer shares web's engine: it resolves web through the deployment's network, not a host entry
            try (DockerClient c = client(HOSTS.get("e1"))) {
                Container peer = containers(c, d.name()).stream()
                        .filter(x -> "peer".equals(x.getLabels().get(Labels.NODE))).findFirst().orElseThrow();
                String[] extra = c.inspectContainerCmd(peer.getId()).exec().getHostConfig().getExtraHosts();
                assertThat(extra == null ? List.of() : List.of(extra)).noneMatch(h -> h.startsWith("web:"))
                        .anyMatch(h -> h.startsWith("api:"));
            }

            RunReport again = Orchestrator.using(docker).up(d.plan());
            assertThat(again.succeeded()).as(again.render()).isTrue();
            assertThat(again.nodes()).allMatch(t -> t.reused());
            assertThat(Orchestrator.using(docker).status(d)).extracting(s -> s.node() + "@" + s.placement().orElse("?"))
                    .containsExactlyInAnyOrder("web@e1", "peer@e1", "client@e2", "api@main");

            RunReport down = Orchestrator.using(docker).down(d, DownOptions.defaults().removeVolumes(true));
            assertThat(down.succeeded()).as(down.render()).isTrue();
            assertThat(where(d.name())).isEmpty();
            for (URI h : HOSTS.values()) {
                try (DockerClient c = client(h)) {
                    assertThat(c.listNetworksCmd().withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name()))
                            .exec()).as("networks left on " + h).isEmpty();
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void aNodeMovedToAnotherEngineIsRecreatedThereAndRemovedWhereItWas() throws Exception {
        Deployment d = webAndClients(name("move"));
        try (DockerBackend before = backend(spread())) {
            assertThat(Orchestrator.using(before).up(d.plan()).succeeded()).isTrue();
        }
        Placement moved = Placement.builder().node("web", "e1").node("peer", "e2").node("client", "e2")
                .otherwise("main").build();
        try (DockerBackend after = backend(moved)) {
            RunReport up = Orchestrator.using(after).up(d.plan());
            assertThat(up.succeeded()).as(up.render()).isTrue();
            assertThat(up.node("peer").reused()).isFalse();
            assertThat(up.node("peer").placement()).contains("e2");
            assertThat(up.node("web").reused()).isTrue();
            assertThat(where(d.name())).containsEntry("peer", "e2").containsEntry("web", "e1");
            Orchestrator.using(after).down(d, DownOptions.defaults());
            assertThat(where(d.name())).isEmpty();
        }
    }

    /** "node@engine" -> how many containers of the node that engine holds: a leftover shows as its own entry. */
    private static Map<String, Integer> counts(String deployment) throws Exception {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (var e : HOSTS.entrySet()) {
            try (DockerClient c = client(e.getValue())) {
                containers(c, deployment).forEach(x -> counts.merge(x.getLabels().get(Labels.NODE) + "@" + e.getKey(),
                        1, Integer::sum));
            }
        }
        return counts;
    }

    @Test
    @Timeout(240)
    void aMovedNodeLeavesNothingOnItsOldEngineFreesItsPortFirstAndIsKeptAtTheNextUp() throws Exception {
        Deployment d = Deployment.builder(name("moved"))
                .service("web", s -> s.image(IMAGE).command("httpd", "-f", "-p", "18081", "-h", "/").port(18081))
                .service("worker", s -> s.image(IMAGE).replicas(2).command("sleep", "3600"))
                .build();
        try (DockerBackend before = backend(Placement.builder().otherwise("e1").build())) {
            RunReport up = Orchestrator.using(before).up(d.plan());
            assertThat(up.succeeded()).as(up.render()).isTrue();
        }
        assertThat(counts(d.name())).containsExactlyInAnyOrderEntriesOf(Map.of("web@e1", 1, "worker@e1", 2));
        try (DockerBackend after = backend(Placement.builder().otherwise("e2").build())) {
            RunReport moved = Orchestrator.using(after).up(d.plan());
            // the published port is on the same host: web on e2 starts only once web on e1 has let it go
            assertThat(moved.succeeded()).as(moved.render()).isTrue();
            assertThat(counts(d.name())).as("nothing left where the nodes were")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("web@e2", 1, "worker@e2", 2));
            RunReport again = Orchestrator.using(after).up(d.plan());
            assertThat(again.nodes()).as(again.render()).allMatch(t -> t.reused());
            Orchestrator.using(after).down(d, DownOptions.defaults());
            assertThat(counts(d.name())).isEmpty();
        }
    }

    @Test
    @Timeout(240) // a hang is the defect under test
    void anEngineKilledMidUpEndsTheRunNamingItAndTearDownLeavesNothingOnTheOthers() throws Exception {
        Deployment d = Deployment.builder(name("lost"))
                .service("db", s -> s.image(IMAGE).command("sh", "-c", "exec sleep 3600"))
                .service("slow", s -> s.image(IMAGE).dependsOn("db")
                        .command("sh", "-c", "exec sleep 3600")
                        .healthCheck(HealthCheck.shell("test -e /tmp/never").interval(Duration.ofSeconds(1))
                                .retries(120)))
                .service("api", s -> s.image(IMAGE).dependsOn("slow", HEALTHY))
                .build();
        Placement p = Placement.builder().node("db", "main").node("slow", "e2").otherwise("e1").build();
        AtomicBoolean killed = new AtomicBoolean();
        RunReport lost;
        try (DockerBackend docker = backend(p)) {
            lost = Orchestrator.using(docker).failurePolicy(FailurePolicy.TEAR_DOWN).listener(e -> {
                if (e.type() == RunEvent.Type.STARTED && e.node().equals("slow") && killed.compareAndSet(false, true)) {
                    ExtraEngines.script("kill", "2");
                }
            }).up(d.plan());
        } finally {
            ExtraEngines.script("restart", "2");
        }
        assertThat(killed).isTrue();
        assertThat(lost.error()).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(Failure.Reason.PLATFORM_UNREACHABLE);
            assertThat(e.message()).contains("the Docker engine 'e2' at " + HOSTS.get("e2"));
        });
        assertThat(lost.node("db").state()).isIn(NodeState.REMOVED, NodeState.STOPPED);
        assertThat(lost.node("api").wasStarted()).isFalse();
        // TEAR_DOWN stopped what the run started on the engines that still answer, and removes it: the stopped
        // container's removal finishes in the background (the test's timeout bounds the wait)
        try (DockerClient c = client(HOSTS.get("main"))) {
            assertThat(containers(c, d.name())).allSatisfy(x -> assertThat(x.getState()).isNotEqualTo("running"));
            while (!containers(c, d.name()).isEmpty()) {
                Thread.sleep(100);
            }
        }
    }
}
