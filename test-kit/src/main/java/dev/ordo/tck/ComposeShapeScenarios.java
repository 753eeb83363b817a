package dev.ordo.tck;

import static dev.ordo.Condition.HEALTHY;
import static dev.ordo.tck.LifecycleScenarios.IMAGE;

import dev.ordo.Build;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Network;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.Volume;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.testing.ReportAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's scenarios for the settings real compose files bring: an on-failure restart limit, an external
 * volume, networks with an internal one and aliases with a port published on one address, the image's own health
 * check, and an image built from a Dockerfile. A backend that cannot honour one refuses it by name when the
 * deployment is prepared, and reports the scenario as unsupported with where its refusal is tested.
 */
final class ComposeShapeScenarios {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private ComposeShapeScenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario(ScenarioNames.RESTART_LIMIT, ComposeShapeScenarios::restartLimit));
        s.add(new Scenario(ScenarioNames.EXTERNAL_VOLUME, ComposeShapeScenarios::externalVolume));
        s.add(new Scenario(ScenarioNames.NETWORKS, ComposeShapeScenarios::networks));
        s.add(new Scenario(ScenarioNames.IMAGE_HEALTH_CHECK, ComposeShapeScenarios::imageHealthCheck));
        s.add(new Scenario(ScenarioNames.BUILT_IMAGE, ComposeShapeScenarios::builtImage));
        return s;
    }

    private static void restartLimit(Trial t) {
        Deployment d = Deployment.builder(t.name("limit"))
                .service("flaky", s -> s.image(IMAGE).port(5432)
                        .healthCheck(HealthCheck.tcp(5432).interval(INTERVAL).retries(30))
                        .restart(RestartPolicy.ON_FAILURE).maxRestarts(2))
                .service("api", s -> s.image(IMAGE).dependsOn("flaky", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("flaky", Script.service().readyAfter(Duration.ofSeconds(30))
                .exits(Duration.ofMillis(300), 3).prints("FATAL: bad config")));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("flaky", Failure.Reason.CRASHED).neverStarted("api");
        Expect.that(r, r.node("flaky").restarts() == 2, "flaky restarted exactly twice (on-failure:2), it restarted "
                + r.node("flaky").restarts() + " times");
        Expect.exitCode(r, "flaky", 3);
        Expect.says(r, "flaky", "limited to 2 restarts");
    }

    private static void externalVolume(Trial t) {
        String volume = t.name("ext-data");
        Deployment d = Deployment.builder(t.name("ext"))
                .volume(Volume.external(volume))
                .service("db", s -> s.image(IMAGE).volume(volume, "/var/lib/data"))
                .build();
        Backend b = t.backend(Scripts.none());
        OrdoException missing = null;
        try {
            t.up(b, d.plan());
        } catch (OrdoException e) {
            missing = e;
        }
        if (missing == null || !missing.getMessage().contains(volume) || !missing.getMessage().contains("external")) {
            throw new AssertionError("expected up to fail naming the missing external volume '" + volume
                    + "', it " + (missing == null ? "did not fail" : "said: " + missing.getMessage()));
        }
        BackendContract.Foreign planted = t.plantVolume(b, volume);
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded().hasState("db", NodeState.STARTED);
        RunReport down = Orchestrator.using(b).down(d, DownOptions.defaults().removeVolumes(true));
        ReportAssert.assertThat(down).succeeded();
        Expect.that(down, planted.exists(), "the external volume '" + volume + "' kept by down with removeVolumes");
    }

    private static void networks(Trial t) {
        Deployment d = Deployment.builder(t.name("nets"))
                .network(Network.of("backend").asInternal())
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(HealthCheck.tcp(5432).interval(INTERVAL))
                        .networks("backend").alias("database"))
                .service("api", s -> s.image(IMAGE).port(Port.of(8080)).networks("backend", Network.DEFAULT)
                        .dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofMillis(500))));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("db", NodeState.HEALTHY).hasState("api", NodeState.STARTED)
                .startedAfter("api", "db");
    }

    private static void imageHealthCheck(Trial t) {
        Deployment d = Deployment.builder(t.name("imagecheck"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(HealthCheck.fromImage().interval(INTERVAL)))
                .service("api", s -> s.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(1))));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("db", NodeState.HEALTHY).startedAfter("api", "db");
    }

    private static void builtImage(Trial t) {
        Path context;
        try {
            context = Files.createTempDirectory("ordo-tck-build");
            Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nLABEL dev.ordo.tck=built\n");
        } catch (IOException e) {
            throw new AssertionError("cannot write the build context: " + e, e);
        }
        Deployment d = Deployment.builder(t.name("built"))
                .service("api", s -> s.image(t.name("built") + "-api:tck").build(Build.context(context.toString()))
                        .port(8080).healthCheck(HealthCheck.tcp(8080).interval(INTERVAL)))
                .build();
        Backend b = t.backend(Scripts.none().with("api", Script.service().readyAfter(Duration.ofMillis(500))));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("api", NodeState.HEALTHY);
    }
}
