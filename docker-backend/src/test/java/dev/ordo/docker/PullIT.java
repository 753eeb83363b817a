package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.docker.internal.images.FakeRegistry;
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

    @Test
    void aPrivateRegistrysImageIsPulledWithTheCredentialsOfTheDockerCliConfig(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path home) throws Exception {
        FakeRegistry secured = FakeRegistry.startPrivate("ordo-test/" + name + "-private", "1", "ordo", "pa55-word");
        String home0 = System.getProperty("user.home");
        try {
            Deployment d = Deployment.builder(name)
                    .job("hello", j -> j.image(secured.image()).command("sh", "-c", "echo hello from private"))
                    .build();
            // anonymous first: the registry refuses, and the failure says so
            System.setProperty("user.home", home.toString());
            RunReport refused = orchestrator().up(d.plan());
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.node("hello").failure().orElseThrow().message()).contains("image '" + secured.image()
                    + "'");
            // then with the credentials `docker login` would have written
            java.nio.file.Files.createDirectories(home.resolve(".docker"));
            java.nio.file.Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\""
                    + secured.address() + "\":{\"auth\":\"" + java.util.Base64.getEncoder().encodeToString(
                    "ordo:pa55-word".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}}}");
            logs.clear();
            RunReport pulled = orchestrator().up(d.plan());
            assertThat(pulled.succeeded()).as(pulled.render()).isTrue();
            assertThat(logs).contains("hello: hello from private");
            assertThat(pulled.render()).doesNotContain("pa55-word");
            assertThat(logs).noneMatch(l -> l.contains("pa55-word"));
            orchestrator().down(d);
        } finally {
            System.setProperty("user.home", home0);
            try {
                DockerTestSupport.client().removeImageCmd(secured.image()).withForce(true).exec();
            } catch (RuntimeException notPulled) {
                // the assertions above say why
            }
            secured.close();
        }
    }
}
