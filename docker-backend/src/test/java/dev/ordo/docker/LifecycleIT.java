package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.spi.Labels;
import dev.ordo.spi.Launch;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotent start, recreation, observe, stop/release clean-up, and isolation from foreign resources. */
class LifecycleIT {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private DockerBackend backend;
    private String name;
    private String other;

    @BeforeEach
    void setUp() {
        backend = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("life");
        other = DockerTestSupport.uniqueName("life");
    }

    @AfterEach
    void tearDown() {
        if (backend == null) {
            return; // skipped: no engine to clean up
        }
        DockerTestSupport.purge(name);
        DockerTestSupport.purge(other);
        try {
            DockerTestSupport.docker("rm", "-f", name + "-web-1");
        } catch (AssertionError ignored) {
            // only the clash test creates it
        }
        backend.close();
    }

    private Deployment web(String deployment, String version) {
        return Deployment.builder(deployment)
                .service("web", s -> s.image(DockerTestSupport.IMAGE).env("VERSION", version).volume("data", "/data")
                        .shell("touch /tmp/up; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-e", "/tmp/up")))
                .job("init", j -> j.image(DockerTestSupport.IMAGE).shell("echo initialised"))
                .build();
    }

    private RecordingEvents up(Deployment d) {
        RecordingEvents events = new RecordingEvents();
        backend.prepare(d);
        backend.start(new Launch(d, d.requireNode("web"), false), events);
        backend.start(new Launch(d, d.requireNode("init"), false), events);
        assertThat(events.await("web", LIMIT, "healthy", "unhealthy", "failed").type()).isEqualTo("healthy");
        assertThat(events.await("init", LIMIT, "exited", "failed").exitCode()).isZero();
        return events;
    }

    private void down(Deployment d, boolean removeVolumes) {
        RecordingEvents events = new RecordingEvents();
        for (var n : List.of("web", "init")) {
            backend.stop(d, n, StopMode.remove(Duration.ofSeconds(5)), events);
        }
        events.await("web", LIMIT, "stopped");
        events.await("init", LIMIT, "stopped");
        backend.release(d, removeVolumes);
    }

    private static String id(String deployment, String node) {
        return DockerTestSupport.containers(deployment).stream()
                .filter(c -> node.equals(c.getLabels().get(Labels.NODE))).map(Container::getId)
                .findFirst().orElseThrow();
    }

    @Test
    void secondStartWithAnUnchangedNodeKeepsTheContainersAndSaysReused() {
        Deployment d = web(name, "1");
        up(d);
        String webId = id(name, "web");
        String initId = id(name, "init");
        RecordingEvents again = up(d);
        assertThat(again.await("web", LIMIT, "started").detail()).isEqualTo("reused");
        assertThat(again.await("init", LIMIT, "started").detail()).isEqualTo("reused");
        assertThat(id(name, "web")).isEqualTo(webId);
        assertThat(id(name, "init")).isEqualTo(initId);
        assertThat(again.await("web", LIMIT, "healthy").latency()).isEqualTo(Duration.ZERO);
    }

    @Test
    void changedNodeIsRecreatedAndTheUnchangedOneKept() {
        up(web(name, "1"));
        String webId = id(name, "web");
        String initId = id(name, "init");
        Deployment changed = web(name, "2");
        assertThat(changed.requireNode("web").configHash()).isNotEqualTo(web(name, "1").requireNode("web")
                .configHash());
        RecordingEvents events = up(changed);
        assertThat(events.await("web", LIMIT, "started").detail()).isEmpty();
        assertThat(id(name, "web")).isNotEqualTo(webId);
        assertThat(id(name, "init")).isEqualTo(initId);
        assertThat(DockerTestSupport.docker("inspect", "-f", "{{json .Config.Env}}", name + "-web-1"))
                .contains("VERSION=2");
    }

    @Test
    void recreateFlagReplacesEvenAnUnchangedNode() {
        Deployment d = web(name, "1");
        up(d);
        String webId = id(name, "web");
        RecordingEvents events = new RecordingEvents();
        backend.start(new Launch(d, d.requireNode("web"), true), events);
        assertThat(events.await("web", LIMIT, "started").detail()).isEmpty();
        assertThat(events.await("web", LIMIT, "healthy", "unhealthy", "failed").type()).isEqualTo("healthy");
        assertThat(id(name, "web")).isNotEqualTo(webId);
    }

    @Test
    void observeReportsNodesFromLabels() {
        Deployment d = web(name, "1");
        up(d);
        List<ObservedNode> seen = backend.observe(d);
        assertThat(seen).extracting(ObservedNode::node).containsExactlyInAnyOrder("web", "init");
        ObservedNode web = seen.stream().filter(o -> o.node().equals("web")).findFirst().orElseThrow();
        assertThat(web.isRunning()).isTrue();
        assertThat(web.configHash()).isEqualTo(d.requireNode("web").configHash());
        assertThat(web.replicas()).isEqualTo(1);
        ObservedNode init = seen.stream().filter(o -> o.node().equals("init")).findFirst().orElseThrow();
        assertThat(init.state()).isEqualTo(ObservedNode.State.EXITED);
        assertThat(init.exitCode()).hasValue(0);
    }

    @Test
    void downAndReleaseLeaveNoContainerNetworkOrVolumeWithTheDeploymentsLabel() {
        Deployment d = web(name, "1");
        up(d);
        assertThat(DockerTestSupport.networks(name)).isEqualTo(1);
        assertThat(DockerTestSupport.volumes(name)).isEqualTo(1);
        down(d, true);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.networks(name)).isZero();
        assertThat(DockerTestSupport.volumes(name)).isZero();
    }

    @Test
    void releaseKeepsVolumesUnlessAsked() {
        Deployment d = web(name, "1");
        up(d);
        down(d, false);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.networks(name)).isZero();
        assertThat(DockerTestSupport.volumes(name)).isEqualTo(1);
        backend.release(d, true);
        assertThat(DockerTestSupport.volumes(name)).isZero();
    }

    @Test
    void stopWithKeepLeavesStoppedContainersForALaterStart() {
        Deployment d = web(name, "1");
        up(d);
        RecordingEvents events = new RecordingEvents();
        backend.stop(d, "web", StopMode.keep(Duration.ofSeconds(2)), events);
        events.await("web", LIMIT, "stopped");
        assertThat(DockerTestSupport.containers(name)).filteredOn(c -> "web".equals(c.getLabels().get(Labels.NODE)))
                .extracting(Container::getState).containsExactly("exited");
        RecordingEvents again = new RecordingEvents();
        backend.start(new Launch(d, d.requireNode("web"), false), again);
        assertThat(again.await("web", LIMIT, "healthy", "unhealthy", "failed").type()).isEqualTo("healthy");
    }

    @Test
    void aStoppedServiceStaysStoppedWhateverItsRestartPolicy() throws InterruptedException {
        Deployment d = Deployment.builder(name)
                .service("polite", s -> s.image(DockerTestSupport.IMAGE).restart(dev.ordo.RestartPolicy.ALWAYS)
                        .shell("trap 'exit 0' TERM; while true; do sleep 0.1; done"))
                .service("stubborn", s -> s.image(DockerTestSupport.IMAGE).restart(dev.ordo.RestartPolicy.ALWAYS)
                        .shell("trap '' TERM; while true; do sleep 0.1; done")
                        .stopGracePeriod(Duration.ofSeconds(1)))
                .build();
        backend.prepare(d);
        RecordingEvents events = new RecordingEvents();
        backend.start(new Launch(d, d.requireNode("polite"), false), events);
        backend.start(new Launch(d, d.requireNode("stubborn"), false), events);
        events.await("polite", LIMIT, "started");
        events.await("stubborn", LIMIT, "started");
        long t0 = System.nanoTime();
        backend.stop(d, "polite", StopMode.keep(Duration.ofSeconds(10)), events);
        backend.stop(d, "stubborn", StopMode.keep(Duration.ofSeconds(1)), events);
        events.await("polite", LIMIT, "stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("SIGTERM ends it at once").isLessThan(
                Duration.ofSeconds(5));
        events.await("stubborn", LIMIT, "stopped");
        Thread.sleep(1500); // Docker would restart a container that died of a signal it was not stopped with
        assertThat(DockerTestSupport.containers(name)).extracting(Container::getState)
                .containsExactly("exited", "exited");
    }

    @Test
    void foreignContainerWithTheSameNameIsAnErrorAndIsLeftAlone() {
        DockerTestSupport.docker("run", "-d", "--name", name + "-web-1", DockerTestSupport.IMAGE, "sleep", "1000");
        Deployment d = web(name, "1");
        backend.prepare(d);
        RecordingEvents events = new RecordingEvents();
        backend.start(new Launch(d, d.requireNode("web"), false), events);
        var failed = events.await("web", LIMIT, "failed", "started");
        assertThat(failed.type()).isEqualTo("failed");
        assertThat(failed.detail()).contains("'" + name + "-web-1'", "Ordo did not create", "docker rm -f");
        assertThat(DockerTestSupport.docker("inspect", "-f", "{{.State.Running}}", name + "-web-1").trim())
                .isEqualTo("true");
    }

    @Test
    void foreignNetworkWithTheDeploymentsNetworkNameIsAnError() {
        DockerTestSupport.docker("network", "create", name + "-network");
        try {
            Assertions.assertThatThrownBy(() -> backend.prepare(web(name, "1")))
                    .isInstanceOf(OrdoException.class)
                    .hasMessageContaining("'" + name + "-network'")
                    .hasMessageContaining("docker network rm");
        } finally {
            DockerTestSupport.docker("network", "rm", name + "-network");
        }
    }

    @Test
    void twoDeploymentsOnOneEngineDoNotTouchEachOther() {
        Deployment a = web(name, "1");
        Deployment b = web(other, "1");
        up(a);
        up(b);
        String bWeb = id(other, "web");
        down(a, true);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.containers(other)).hasSize(2);
        assertThat(DockerTestSupport.networks(other)).isEqualTo(1);
        assertThat(DockerTestSupport.volumes(other)).isEqualTo(1);
        assertThat(id(other, "web")).isEqualTo(bWeb);
        assertThat(backend.observe(b)).extracting(ObservedNode::node).containsExactlyInAnyOrder("web", "init");
        assertThat(backend.observe(a)).isEmpty();
    }

    @Test
    void nodesReachEachOtherByNodeName() {
        Deployment d = Deployment.builder(name)
                .service("api", s -> s.image(DockerTestSupport.IMAGE).shell("exec httpd -f -p 8080 -h /www")
                        .healthCheck(HealthCheck.tcp(8080)))
                .job("client", j -> j.image(DockerTestSupport.IMAGE).shell("wget -q -O - http://api:8080/"))
                .build();
        backend.prepare(d);
        RecordingEvents events = new RecordingEvents();
        backend.start(new Launch(d, d.requireNode("api"), false), events);
        assertThat(events.await("api", LIMIT, "healthy", "unhealthy", "failed").type()).isEqualTo("healthy");
        backend.start(new Launch(d, d.requireNode("client"), false), events);
        var exited = events.await("client", LIMIT, "exited", "failed");
        assertThat(exited.exitCode()).isZero();
        assertThat(exited.logTail()).containsExactly("ok");
    }

    @Test
    void unreachableEngineIsAnErrorNamingTheEngineAndTheFix() {
        try (DockerBackend nowhere = DockerBackend.connect(URI.create("unix:///tmp/ordo-no-such-docker.sock"))) {
            Assertions.assertThatThrownBy(nowhere::engineVersion)
                    .isInstanceOf(OrdoException.class)
                    .hasMessageContaining("unix:///tmp/ordo-no-such-docker.sock")
                    .hasMessageContaining("ensure-docker.sh");
        }
    }
}
