package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Staging on the real engine: a node's container is created while its dependency is still starting, is not started
 * before the dependency's condition holds, and is the very container that runs afterwards. (That a staged node whose
 * dependency fails leaves nothing is pinned for every backend by the contract's staging scenario.) The dependency
 * becomes healthy only when the test says so, once it has seen the staged container: the run listener only notes
 * facts, and never holds core's engine thread.
 */
class DockerStagingIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private static final String GO_FILE = "/tmp/go";
    private DockerBackend docker;
    private String name;
    private ExecutorService upThread;
    private Closeable events;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("stg");
        upThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() throws Exception {
        if (events != null) {
            events.close();
        }
        upThread.shutdownNow();
        DockerTestSupport.purge(name);
        docker.close();
    }

    private List<Container> containersOf(String node) {
        return DockerTestSupport.containers(name).stream()
                .filter(c -> node.equals(c.getLabels().get(Labels.NODE))).toList();
    }

    /** The engine's container events of this test's deployment, for {@code node}, by action. */
    private record Seen(CompletableFuture<String> created, CompletableFuture<String> started) {
        Seen() {
            this(new CompletableFuture<>(), new CompletableFuture<>());
        }
    }

    private Closeable watch(Map<String, Seen> byNode) throws InterruptedException {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        Closeable stream = DockerTestSupport.client().eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Labels.DEPLOYMENT + "=" + name).exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onStart(Closeable closeable) {
                        super.onStart(closeable);
                        subscribed.complete(null);
                    }

                    @Override
                    public void onNext(Event e) {
                        Seen seen = e.getActor() == null ? null
                                : byNode.get(e.getActor().getAttributes().get(Labels.NODE));
                        if (seen != null && "create".equals(e.getAction())) {
                            seen.created().complete(e.getActor().getId());
                        } else if (seen != null && "start".equals(e.getAction())) {
                            seen.started().complete(e.getActor().getId());
                        }
                    }
                });
        subscribed.orTimeout(10, TimeUnit.SECONDS).join();
        return stream;
    }

    @Test
    @Timeout(120)
    void aDependentIsCreatedWhileItsDependencyStartsAndStartedOnlyOnceTheConditionHolds() throws Exception {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(IMAGE)
                        .shell("until [ -f " + GO_FILE + " ]; do sleep 0.1; done; touch /tmp/ready; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-f", "/tmp/ready")
                                .interval(Duration.ofMillis(200)).retries(100)))
                .service("app", s -> s.image(IMAGE).shell("exec sleep 1000").dependsOn("db", Condition.HEALTHY))
                .build();
        Seen db = new Seen();
        Seen app = new Seen();
        events = watch(Map.of("db", db, "app", app));
        CompletableFuture<Void> dbHealthy = new CompletableFuture<>();
        CompletableFuture<Boolean> appStartedAfterDbHealthy = app.started().thenApply(id -> dbHealthy.isDone());
        CompletableFuture<RunReport> up = CompletableFuture.supplyAsync(() -> Orchestrator.using(docker)
                .timeout(Duration.ofSeconds(60)).listener(e -> {
                    if (e.type() == RunEvent.Type.HEALTHY && e.node().equals("db")) {
                        dbHealthy.complete(null);
                    }
                }).up(d.plan()), upThread);

        // db cannot be healthy yet: it waits for the go file. app's container must exist by now, created only.
        String staged = app.created().get(60, TimeUnit.SECONDS);
        assertThat(DockerTestSupport.client().inspectContainerCmd(staged).exec().getState().getStatus())
                .as("staged, not started early").isEqualTo("created");
        assertThat(dbHealthy).as("db is held until the test lets it be healthy").isNotDone();
        DockerTestSupport.docker("exec", db.started().get(60, TimeUnit.SECONDS), "touch", GO_FILE);

        RunReport report = up.get(90, TimeUnit.SECONDS);
        assertThat(report.succeeded()).as(report.render()).isTrue();
        assertThat(appStartedAfterDbHealthy.get(10, TimeUnit.SECONDS)).as("app started once db was healthy").isTrue();
        List<Container> running = containersOf("app");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).getId()).as("the staged container is the one started").isEqualTo(staged);
        assertThat(running.get(0).getState()).isEqualTo("running");
    }
}
