package dev.ordo.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Container;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Docker backend can be asked: secret files and what inspect and logs show of them, the engine's own
 * state (restart policies and their limits, labels, networks), a second deployment on the same engine, and messages
 * that name the engine. The lifecycle rules every backend shares are in {@link DockerBackendContractIT}.
 */
class DockerSpecificsIT {
    private static final String IMAGE = DockerTestSupport.IMAGE;
    private DockerBackend docker;
    private String name;
    private String other;

    @BeforeEach
    void open() {
        docker = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName("dks");
        other = DockerTestSupport.uniqueName("dko");
    }

    @AfterEach
    void close() {
        if (docker != null) {
            DockerTestSupport.purge(name);
            DockerTestSupport.purge(other);
            docker.close();
        }
    }

    private Orchestrator ordo(List<RunEvent> events) {
        return Orchestrator.using(docker).timeout(Duration.ofSeconds(60)).listener(events::add);
    }

    @Test
    void aSecretIsAReadOnlyFileThatNoInspectOutputLogOrEventShows() {
        String value = "s3cr3t-" + UUID.randomUUID();
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("db-password", value))
                .service("db", s -> s.image(IMAGE).secret("db-password")
                        .shell("stat -c '%a %U' /run/secrets/db-password; exec sleep 1000")
                        .healthCheck(HealthCheck.command("test", "-s", "/run/secrets/db-password")))
                .build();
        List<RunEvent> events = new ArrayList<>();
        RunReport up = ordo(events).up(d.plan());
        assertThat(up.succeeded()).as(up.render()).isTrue();
        String container = name + "-db-1";
        assertThat(DockerTestSupport.docker("exec", container, "cat", "/run/secrets/db-password")).isEqualTo(value);
        assertThat(DockerTestSupport.docker("logs", container)).contains("400 root").doesNotContain(value);
        assertThat(DockerTestSupport.docker("inspect", container)).contains("db-password").doesNotContain(value);
        assertThat(DockerTestSupport.docker("network", "inspect", name + "-network")).doesNotContain(value);
        assertThat(events).noneMatch(e -> e.detail().contains(value));
        assertThat(up.render()).doesNotContain(value);
    }

    @Test
    void aSecretOptedIntoTheEnvironmentIsThere() {
        Deployment d = Deployment.builder(name)
                .secret(Secret.literal("token", "env-token-value"))
                .job("legacy", j -> j.image(IMAGE).secretAsEnv("token", "TOKEN").shell("echo token=$TOKEN; exit 3"))
                .build();
        RunReport up = ordo(new ArrayList<>()).up(d.plan());
        assertThat(up.node("legacy").failure().orElseThrow().logTail()).containsExactly("token=env-token-value");
    }

    @Test
    void anImageThatCannotBePulledFailsNamingTheNodeTheImageAndTheFix() {
        Deployment d = Deployment.builder(name)
                .service("web", s -> s.image("ordo-test-missing/nothing:1").command("true"))
                .build();
        RunReport up = ordo(new ArrayList<>()).timeout(Duration.ofSeconds(120)).up(d.plan());
        assertThat(up.node("web").failure().orElseThrow().reason()).isEqualTo(Failure.Reason.START_FAILED);
        assertThat(up.node("web").failure().orElseThrow().message())
                .contains("node 'web'", "ordo-test-missing/nothing:1", "stand-ins");
        assertThat(DockerTestSupport.containers(name)).isEmpty();
    }

    @Test
    void aStoppedServiceStaysStoppedWhateverItsRestartPolicyAndAStubbornOneIsKilledAfterItsGracePeriod() {
        Deployment d = Deployment.builder(name)
                .service("polite", s -> s.image(IMAGE).restart(RestartPolicy.ALWAYS)
                        .shell("trap 'exit 0' TERM; while true; do sleep 0.1; done"))
                .service("stubborn", s -> s.image(IMAGE).restart(RestartPolicy.ALWAYS)
                        .shell("trap '' TERM; while true; do sleep 0.1; done")
                        .stopGracePeriod(Duration.ofSeconds(1)))
                .build();
        assertThat(ordo(new ArrayList<>()).up(d.plan()).succeeded()).isTrue();
        RunReport stop = Orchestrator.using(docker).stop(d);
        assertThat(stop.succeeded()).as(stop.render()).isTrue();
        // Docker would restart a container that died of a signal it was not stopped with: a status taken after a
        // second up-to-date listing shows them both exited, and inspect says Docker will not restart them.
        for (Container c : DockerTestSupport.containers(name)) {
            assertThat(c.getState()).isEqualTo("exited");
            assertThat(DockerTestSupport.docker("inspect", "-f", "{{.State.Restarting}}", c.getId()).trim())
                    .isEqualTo("false");
        }
        assertThat(Orchestrator.using(docker).status(d)).allMatch(s -> !s.state().name().equals("RUNNING"));
    }

    @Test
    void anOnFailureRestartLimitIsDockersOnFailureNAndTheNodeCrashesWhenItIsSpent() {
        Deployment d = Deployment.builder(name)
                .service("flaky", s -> s.image(IMAGE).shell("echo attempt; exit 3")
                        .healthCheck(HealthCheck.command("test", "-e", "/never"))
                        .restart(RestartPolicy.ON_FAILURE).maxRestarts(2))
                .build();
        RunReport up = ordo(new ArrayList<>()).up(d.plan());
        assertThat(up.node("flaky").failure().orElseThrow().reason()).as(up.render())
                .isEqualTo(Failure.Reason.CRASHED);
        assertThat(up.node("flaky").restarts()).isEqualTo(2);
        var flaky = DockerTestSupport.inspect(name, "flaky");
        assertThat(flaky.getHostConfig().getRestartPolicy().getName()).isEqualTo("on-failure");
        assertThat(flaky.getHostConfig().getRestartPolicy().getMaximumRetryCount()).isEqualTo(2);
        // Docker restarted it twice and gave up: the count core reported is the engine's
        assertThat(flaky.getRestartCount()).isEqualTo(2);
        assertThat(flaky.getState().getRunning()).isFalse();
    }

    @Test
    void twoDeploymentsOnOneEngineDoNotTouchEachOtherAndEveryResourceCarriesItsLabels() {
        Deployment a = Deployment.builder(name).service("web", s -> s.image(IMAGE).shell("exec sleep 1000")
                .volume("data", "/data")).build();
        Deployment b = Deployment.builder(other).service("web", s -> s.image(IMAGE).shell("exec sleep 1000")
                .volume("data", "/data")).build();
        assertThat(ordo(new ArrayList<>()).up(a.plan()).succeeded()).isTrue();
        assertThat(ordo(new ArrayList<>()).up(b.plan()).succeeded()).isTrue();
        Container bWeb = DockerTestSupport.containers(other).get(0);
        assertThat(bWeb.getLabels()).containsEntry(Labels.DEPLOYMENT, other).containsEntry(Labels.NODE, "web")
                .containsEntry(Labels.REPLICA, "1").containsKey(Labels.CONFIG_HASH);
        assertThat(DockerTestSupport.networks(other)).isEqualTo(1);
        assertThat(DockerTestSupport.volumes(other)).isEqualTo(1);
        Orchestrator.using(docker).down(a, DownOptions.defaults().removeVolumes(true));
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.networks(name)).isZero();
        assertThat(DockerTestSupport.volumes(name)).isZero();
        assertThat(DockerTestSupport.containers(other)).extracting(Container::getId).containsExactly(bWeb.getId());
    }

    @Test
    void nodesReachEachOtherByNodeName() {
        Deployment d = Deployment.builder(name)
                .service("api", s -> s.image(IMAGE).port(8080)
                        .shell("mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www")
                        .healthCheck(HealthCheck.tcp(8080)))
                .job("client", j -> j.image(IMAGE).shell("wget -q -O - http://api:8080/; exit 7")
                        .dependsOn("api", Condition.HEALTHY))
                .build();
        RunReport up = ordo(new ArrayList<>()).up(d.plan());
        assertThat(up.node("client").failure().orElseThrow().logTail()).containsExactly("ok");
    }

    @Test
    void aForeignNetworkWithTheDeploymentsNetworkNameIsAnErrorNamingIt() {
        DockerTestSupport.docker("network", "create", name + "-network");
        try {
            Deployment d = Deployment.builder(name).service("web", s -> s.image(IMAGE)).build();
            assertThatThrownBy(() -> Orchestrator.using(docker).up(d.plan())).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("'" + name + "-network'").hasMessageContaining("docker network rm");
        } finally {
            DockerTestSupport.docker("network", "rm", name + "-network");
        }
    }

    @Test
    void tearDownLeavesNothingOfTheFailedRunBehind() {
        Deployment d = Deployment.builder(name)
                .service("db", s -> s.image(IMAGE).shell("exec sleep 1000"))
                .job("migrate", j -> j.image(IMAGE).shell("echo boom; exit 2").dependsOn("db"))
                .service("app", s -> s.image(IMAGE).dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
        RunReport up = ordo(new ArrayList<>()).failurePolicy(FailurePolicy.TEAR_DOWN).up(d.plan());
        assertThat(up.node("migrate").state()).isEqualTo(NodeState.FAILED);
        assertThat(up.node("db").state()).isEqualTo(NodeState.REMOVED);
        assertThat(DockerTestSupport.containers(name)).isEmpty();
        assertThat(DockerTestSupport.networks(name)).isZero();
    }

    @Test
    void anEngineThatDoesNotAnswerIsAnErrorNamingItAndTheFix() {
        try (DockerBackend nowhere = DockerBackend.connect(URI.create("unix:///tmp/ordo-no-such-docker.sock"))) {
            Deployment d = Deployment.builder(name).service("web", s -> s.image(IMAGE)).build();
            assertThatThrownBy(() -> Orchestrator.using(nowhere).up(d.plan())).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("unix:///tmp/ordo-no-such-docker.sock")
                    .hasMessageContaining("ensure-docker.sh");
        }
    }
}
