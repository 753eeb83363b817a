package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Build;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images on the real engine: a node built from a Dockerfile (context sent with its .dockerignore, build arguments,
 * target stage, labels, the build's lines in the node's output), rebuilt as its policy says, a failed build named with
 * its last lines; and the image's own HEALTHCHECK deciding that a node is healthy, or its absence named with the fix.
 */
class DockerImagesIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private DockerBackend docker;
    private String name;
    private final List<String> images = new ArrayList<>();

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dimg");
    }

    @AfterEach
    void close() {
        DockerTestSupport.purge(name);
        images.forEach(i -> DockerTestSupport.quietly("rmi", "-f", i));
        docker.close();
    }

    private RunReport up(Deployment d, List<RunEvent> events) {
        return Orchestrator.using(docker).timeout(Duration.ofSeconds(120)).listener(events::add).up(d.plan());
    }

    private static List<String> lines(List<RunEvent> events, String node) {
        return events.stream().filter(e -> e.type() == RunEvent.Type.LOG && node.equals(e.node()))
                .map(RunEvent::detail).toList();
    }

    private static String imageId(String image) {
        return DockerTestSupport.client().inspectImageCmd(image).exec().getId();
    }

    private Deployment built(Path context, Build.Policy policy) {
        return Deployment.builder(name)
                .service("web", s -> s.build(Build.context(context.toString()).dockerfile("app.Dockerfile")
                                .arg("GREETING", "hello").target("app").label("dev.ordo.test.built", "yes")
                                .policy(policy))
                        .shell(DockerTestSupport.IDLE).healthCheck(HealthCheck.command("test", "-e", "/ctx/hello.txt")))
                .build();
    }

    @Test
    @Timeout(240)
    void aBuiltNodeRunsItsImageBuiltOnceWhenMissingAndAtEveryStartWhenAlways(@TempDir Path context)
            throws IOException {
        Files.writeString(context.resolve("app.Dockerfile"), "FROM " + IMAGE + " AS app\n"
                + "ARG GREETING=none\n"
                + "LABEL dev.ordo.test.greeting=$GREETING\n"
                + "COPY . /ctx/\n"
                + "FROM app AS debug\n"
                + "LABEL dev.ordo.test.stage=debug\n");
        Files.writeString(context.resolve(".dockerignore"), "secret.txt\n");
        Files.writeString(context.resolve("hello.txt"), "one\n");
        Files.writeString(context.resolve("secret.txt"), "not for the image\n");
        String tag = Build.defaultTag(name, "web");
        images.add(tag);

        List<RunEvent> first = new ArrayList<>();
        RunReport up = up(built(context, Build.Policy.IF_MISSING), first);
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(up.node("web").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(lines(first, "web")).anyMatch(l -> l.startsWith("ordo: building image " + tag))
                .anyMatch(l -> l.contains("Step 1/"));
        var web = DockerTestSupport.inspect(name, "web");
        assertThat(web.getConfig().getImage()).isEqualTo(tag);
        var labels = DockerTestSupport.client().inspectImageCmd(tag).exec().getConfig().getLabels();
        assertThat(labels).containsEntry("dev.ordo.test.greeting", "hello").containsEntry("dev.ordo.test.built", "yes")
                .doesNotContainKey("dev.ordo.test.stage"); // the target stage, not the last one
        Deployment d = built(context, Build.Policy.IF_MISSING);
        assertThat(docker.exec(d, "web", List.of("cat", "/ctx/hello.txt")).output()).containsExactly("one");
        assertThat(docker.exec(d, "web", List.of("test", "-e", "/ctx/secret.txt")).exitCode())
                .as(".dockerignore keeps it out of the context").isNotZero();
        String builtOnce = imageId(tag);
        images.add(builtOnce); // untagged by the rebuild below: removed by its id

        // IF_MISSING: new containers, the image as it is, even though the context changed
        Files.writeString(context.resolve("hello.txt"), "two\n");
        assertThat(Orchestrator.using(docker).down(d).succeeded()).isTrue();
        List<RunEvent> second = new ArrayList<>();
        assertThat(up(d, second).succeeded()).isTrue();
        assertThat(lines(second, "web")).noneMatch(l -> l.startsWith("ordo: build"));
        assertThat(imageId(tag)).isEqualTo(builtOnce);
        assertThat(docker.exec(d, "web", List.of("cat", "/ctx/hello.txt")).output()).containsExactly("one");

        // ALWAYS: built again before its containers are made, so they run the changed context
        Deployment always = built(context, Build.Policy.ALWAYS);
        List<RunEvent> third = new ArrayList<>();
        RunReport rebuilt = up(always, third);
        assertThat(rebuilt.succeeded()).as(rebuilt.render()).isTrue();
        assertThat(lines(third, "web")).anyMatch(l -> l.startsWith("ordo: building image " + tag));
        assertThat(imageId(tag)).isNotEqualTo(builtOnce);
        assertThat(docker.exec(always, "web", List.of("cat", "/ctx/hello.txt")).output()).containsExactly("two");
    }

    @Test
    @Timeout(120)
    void aFailedBuildNamesTheNodeTheContextAndTheBuildsLastLines(@TempDir Path context) throws IOException {
        Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nCOPY missing.txt /\n");
        String tag = name + "-api:dev";
        images.add(tag);
        Deployment d = Deployment.builder(name)
                .service("api", s -> s.image(tag).build(Build.context(context.toString()))
                        .shell(DockerTestSupport.IDLE))
                .build();
        RunReport up = up(d, new ArrayList<>());
        Failure f = up.node("api").failure().orElseThrow();
        assertThat(f.reason()).isEqualTo(Failure.Reason.START_FAILED);
        assertThat(f.message()).contains("node 'api'", "building image '" + tag + "'", context.toString(),
                "COPY missing.txt", "missing.txt");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }

    @Test
    @Timeout(120)
    void theImagesOwnHealthCheckIsProbedWithTheNodesTimingAndDecidesHealthy(@TempDir Path context)
            throws IOException {
        // Docker itself would first run the image's check an hour after the start: every probe seen is Ordo's
        Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\n"
                + "HEALTHCHECK --interval=1h CMD test -e /tmp/ready && echo probed >> /tmp/probes\n");
        String tag = name + "-checked:1";
        images.add(tag);
        DockerTestSupport.docker("build", "-q", "-t", tag, context.toString());
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(tag).shell("touch /tmp/ready; " + DockerTestSupport.IDLE)
                        .healthCheck(HealthCheck.fromImage().interval(Duration.ofMillis(500))))
                .service("api", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE).dependsOn("db", Condition.HEALTHY))
                .build();
        RunReport up = up(d, new ArrayList<>());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        assertThat(up.node("db").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(up.node("api").state()).isEqualTo(NodeState.STARTED);
        assertThat(docker.exec(d, "db", List.of("cat", "/tmp/probes")).output()).contains("probed");
        // the container keeps the image's check for Docker's own status
        assertThat(DockerTestSupport.inspect(name, "db").getConfig().getHealthcheck().getTest())
                .containsExactly("CMD-SHELL", "test -e /tmp/ready && echo probed >> /tmp/probes");
        assertThat(Orchestrator.using(docker).down(d, DownOptions.defaults()).succeeded()).isTrue();
    }

    @Test
    @Timeout(120)
    void anImageWithoutAHealthCheckOfItsOwnIsNamedWithTheFixAndNothingRuns() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(IMAGE).shell(DockerTestSupport.IDLE).healthCheck(HealthCheck.fromImage()))
                .build();
        RunReport up = up(d, new ArrayList<>());
        Failure f = up.node("db").failure().orElseThrow();
        assertThat(f.reason()).isEqualTo(Failure.Reason.START_FAILED);
        assertThat(f.message()).contains("node 'db'", "image '" + IMAGE + "'", "no HEALTHCHECK",
                "give the healthcheck a test");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }
}
