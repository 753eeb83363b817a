package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.docker.internal.FakeRegistry;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A missing image is pulled, with progress; a failed pull names the node and the image. */
class PullIT {
    private DockerBackend docker;
    private String name;
    private FakeRegistry registry;
    private final List<String> logs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("pull");
        registry = FakeRegistry.start("ordo-test/" + name, "1");
    }

    @AfterEach
    void tearDown() {
        if (docker == null) {
            return; // skipped locally: no engine to clean up
        }
        DockerTestSupport.purge(name);
        try {
            DockerTestSupport.client().removeImageCmd(registry.image()).withForce(true).exec();
        } catch (RuntimeException notPulled) {
            // the failure test pulls nothing
        }
        registry.close();
        docker.close();
    }

    private Orchestrator orchestrator() {
        return Orchestrator.using(docker).listener(e -> {
            if (e.type() == RunEvent.Type.LOG) {
                logs.add(e.node() + ": " + e.detail());
            }
        });
    }

    @Test
    void aMissingImageIsPulledWithProgressThenRuns() {
        Deployment d = Deployment.builder(name)
                .job("hello", j -> j.image(registry.image()).command("sh", "-c", "echo hello from the pulled image"))
                .build();
        RunReport report = orchestrator().up(d.plan());
        assertThat(report.succeeded()).as(report.render()).isTrue();
        assertThat(report.node("hello").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(registry.requests()).anySatisfy(r -> assertThat(r).contains("/manifests/1"))
                .anySatisfy(r -> assertThat(r).contains("/blobs/sha256:"));
        assertThat(logs).contains("hello: ordo: pulling image " + registry.image(),
                "hello: ordo: pulled image " + registry.image(), "hello: hello from the pulled image");
        assertThat(logs).anySatisfy(l -> assertThat(l).startsWith("hello: ordo: pull " + registry.image() + ": layer ")
                .endsWith("pull complete"));
        orchestrator().down(d);
    }

    @Test
    void aFailedPullNamesTheNodeTheImageAndTheFix() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image(registry.missingImage()))
                .build();
        RunReport report = orchestrator().up(d.plan());
        assertThat(report.succeeded()).isFalse();
        String message = report.node("web").failure().orElseThrow().message();
        assertThat(message).contains("node 'web'", "image '" + registry.missingImage() + "'", "manifest unknown",
                "build or load it locally");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }
}
