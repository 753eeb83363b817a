package dev.ordo.tck;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static dev.ordo.Condition.STARTED;
import static dev.ordo.tck.LifecycleScenarios.IMAGE;

import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Plan;
import dev.ordo.Secret;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ObservedNode;
import dev.ordo.testing.ReportAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's scenarios about what exists across operations: idempotent up, a changed node, down order,
 * volumes, foreign resources, secrets; plus pools, replicas, a platform that stops answering, and scale.
 */
final class StateScenarios {
    private static final HealthCheck TCP = HealthCheck.tcp(5432).interval(Duration.ofSeconds(1)).retries(3);

    private StateScenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario(ScenarioNames.IDEMPOTENT_UP, StateScenarios::idempotentUp));
        s.add(new Scenario(ScenarioNames.STATUS_HEALTH, StateScenarios::statusHealth));
        s.add(new Scenario(ScenarioNames.CHANGED_NODE, StateScenarios::changedNode));
        s.add(new Scenario(ScenarioNames.DOWN_ORDER, StateScenarios::downOrder));
        s.add(new Scenario(ScenarioNames.STOP_ORDER_THROUGH_JOBS, StateScenarios::stopOrderThroughJobs));
        s.add(new Scenario(ScenarioNames.VOLUMES, StateScenarios::volumes));
        s.add(new Scenario(ScenarioNames.FOREIGN_CLASH, StateScenarios::foreignClash));
        s.add(new Scenario(ScenarioNames.SECRETS, StateScenarios::secrets));
        s.add(new Scenario(ScenarioNames.POOLS, StateScenarios::pools));
        s.add(new Scenario(ScenarioNames.REPLICAS, StateScenarios::replicas));
        s.add(new Scenario(ScenarioNames.PLATFORM_UNREACHABLE, StateScenarios::platformUnreachable));
        s.add(new Scenario(ScenarioNames.LONG_CHAIN, StateScenarios::longChain));
        s.add(new Scenario(ScenarioNames.STAGED_NOT_STARTED, StateScenarios::stagedNotStarted));
        return s;
    }

    private static Deployment.Builder threeTier(String name) {
        return Deployment.builder(name)
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(TCP))
                .job("migrate", j -> j.image(IMAGE).dependsOn("db", HEALTHY))
                .service("app", s -> s.image(IMAGE).env("MODE", "one").dependsOn("migrate", COMPLETED_SUCCESSFULLY));
    }

    private static void idempotentUp(Trial t) {
        Deployment d = threeTier(t.name("again")).build();
        Backend b = t.backend(Scripts.none());
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        RunReport second = t.up(b, d.plan());
        ReportAssert.assertThat(second).succeeded().hasState("db", NodeState.HEALTHY)
                .hasState("migrate", NodeState.COMPLETED).hasState("app", NodeState.STARTED);
        for (String n : List.of("db", "migrate", "app")) {
            Expect.that(second, second.node(n).reused(), "'" + n + "' kept by the second up");
        }
    }

    private static void statusHealth(Trial t) {
        HealthCheck tcp = HealthCheck.tcp(5432).interval(Duration.ofSeconds(1)).retries(2);
        Deployment d = Deployment.builder(t.name("status"))
                .service("ok", s -> s.image(IMAGE).port(5432).healthCheck(tcp))
                .service("stuck", s -> s.image(IMAGE).port(5432).healthCheck(tcp))
                .build();
        Backend b = t.backend(Scripts.none().with("stuck", Script.service().neverReady()));
        t.downAfter(b, d);
        // CONTINUE leaves the unhealthy service running: status then reads what the platform says of it
        RunReport r = t.orchestrator(b, RunListener.NONE).failurePolicy(FailurePolicy.CONTINUE).up(d.plan());
        ReportAssert.assertThat(r).hasState("ok", NodeState.HEALTHY).failedWith("stuck", Failure.Reason.UNHEALTHY);
        Map<String, ObservedNode.State> states = new HashMap<>();
        t.orchestrator(b, RunListener.NONE).status(d).forEach(s -> states.put(s.node(), s.state()));
        Expect.that(r, states.get("ok") == ObservedNode.State.HEALTHY, "status says ok is HEALTHY: " + states);
        Expect.that(r, states.get("stuck") == ObservedNode.State.UNHEALTHY,
                "status says stuck, which never passed within its budget, is UNHEALTHY: " + states);
    }

    private static void changedNode(Trial t) {
        Deployment d = threeTier(t.name("change"))
                .service("follower", s -> s.image(IMAGE).dependsOn(Dependency.on("app", STARTED).restart(true)))
                .service("bystander", s -> s.image(IMAGE).dependsOn("app", STARTED))
                .build();
        Backend b = t.backend(Scripts.none());
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        Deployment changed = d.toBuilder()
                .service("app", s -> s.image(IMAGE).env("MODE", "two").dependsOn("migrate", COMPLETED_SUCCESSFULLY))
                .build();
        RunReport r = t.up(b, changed.plan());
        ReportAssert.assertThat(r).succeeded();
        for (String kept : List.of("db", "migrate", "bystander")) {
            Expect.that(r, r.node(kept).reused(), "'" + kept + "' kept: its configuration did not change");
        }
        for (String fresh : List.of("app", "follower")) {
            Expect.that(r, !r.node(fresh).reused() && r.node(fresh).started().isPresent(),
                    "'" + fresh + "' recreated");
        }
    }

    private static void downOrder(Trial t) {
        Deployment d = threeTier(t.name("down")).build();
        Backend b = t.backend(Scripts.none());
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        List<String> stopped = new ArrayList<>();
        RunReport r = Orchestrator.using(b).listener(e -> {
            if (e.type() == RunEvent.Type.STOPPED) {
                stopped.add(e.node());
            }
        }).down(d);
        ReportAssert.assertThat(r).succeeded();
        Expect.that(r, stopped.indexOf("app") < stopped.indexOf("migrate")
                && stopped.indexOf("migrate") < stopped.indexOf("db") && stopped.size() == 3,
                "app, then migrate, then db stopped; the order was " + stopped);
        Expect.that(r, b.observe(d).isEmpty(), "nothing of the deployment left after down, found " + b.observe(d));
    }

    /** {@code stop} leaves exited jobs alone, but the order they carry still holds: app stops before db. */
    private static void stopOrderThroughJobs(Trial t) {
        Deployment d = threeTier(t.name("stop")).build();
        Backend b = t.backend(Scripts.none());
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        List<String> events = new ArrayList<>();
        RunReport r = Orchestrator.using(b).listener(e -> {
            if (e.type() == RunEvent.Type.STOPPING || e.type() == RunEvent.Type.STOPPED) {
                events.add(e.type() + " " + e.node());
            }
        }).stop(d);
        ReportAssert.assertThat(r).succeeded();
        Expect.that(r, events.contains("STOPPED app") && events.contains("STOPPING db")
                && events.indexOf("STOPPED app") < events.indexOf("STOPPING db"),
                "db asked to stop only after app (which reaches it through the exited job 'migrate') stopped;"
                        + " the events were " + events);
    }

    private static void volumes(Trial t) {
        Deployment d = Deployment.builder(t.name("vol"))
                .service("db", s -> s.image(IMAGE).volume("data", "/var/lib/data"))
                .build();
        Backend b = t.backend(Scripts.none());
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        RunReport down = Orchestrator.using(b).down(d);
        Expect.that(down, t.volumeExists(b, d, "data"), "volume 'data' kept by a down without removeVolumes");
        ReportAssert.assertThat(t.up(b, d.plan())).succeeded();
        RunReport purge = Orchestrator.using(b).down(d, DownOptions.defaults().removeVolumes(true));
        Expect.that(purge, !t.volumeExists(b, d, "data"), "volume 'data' removed by down with removeVolumes");
    }

    private static void foreignClash(Trial t) {
        Deployment d = Deployment.builder(t.name("clash"))
                .service("db", s -> s.image(IMAGE))
                .service("api", s -> s.image(IMAGE).dependsOn("db", STARTED))
                .build();
        Backend b = t.backend(Scripts.none());
        BackendContract.Foreign foreign = t.plantForeign(b, d, "db");
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.START_FAILED).neverStarted("api");
        Expect.says(r, "db", "did not create");
        Orchestrator.using(b).down(d);
        Expect.that(r, foreign.exists(), "the foreign resource is still there after up and down");
    }

    private static void secrets(Trial t) {
        Deployment d = Deployment.builder(t.name("secret"))
                .secret(Secret.literal("db-password", "s3cr3t-value"))
                .service("api", s -> s.image(IMAGE).secret("db-password"))
                .build();
        Backend b = t.backend(Scripts.none());
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded();
        String seen = t.readFile(b, d, "api", "/run/secrets/db-password").orElse("(unreadable)");
        Expect.that(r, seen.strip().equals("s3cr3t-value"), "the secret file to hold the secret's value");
        Expect.that(r, !r.render().contains("s3cr3t-value"), "the report never shows a secret's value");
    }

    private static void pools(Trial t) {
        Deployment.Builder b0 = Deployment.builder(t.name("pool")).pool("copy", 1);
        Scripts scripts = Scripts.none();
        for (int i = 1; i <= 3; i++) {
            b0.job("copy-" + i, j -> j.image(IMAGE).pool("copy"));
            scripts = scripts.with("copy-" + i, Script.job().exits(Duration.ofMillis(500), 0));
        }
        Deployment d = b0.build();
        Plan plan = d.plan();
        RunReport r = t.up(t.backend(scripts), plan);
        ReportAssert.assertThat(r).succeeded().respectsPools(plan);
    }

    private static void replicas(Trial t) {
        Deployment d = Deployment.builder(t.name("replicas"))
                .service("web", s -> s.image(IMAGE).port(5432).replicas(2).healthCheck(TCP))
                .service("edge", s -> s.image(IMAGE).dependsOn("web", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("web", Script.service().readyAfter(Duration.ofMillis(700))));
        Plan plan = d.plan();
        RunReport r = t.up(b, plan);
        ReportAssert.assertThat(r).succeeded().respectsDependencies(plan).hasState("web", NodeState.HEALTHY);
        int replicas = b.observe(d).stream().filter(o -> o.node().equals("web")).findFirst()
                .map(o -> o.replicas()).orElse(0);
        Expect.that(r, replicas == 2, "two replicas of 'web' exist, found " + replicas);
    }

    private static void platformUnreachable(Trial t) {
        Deployment d = threeTier(t.name("lost")).build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(5))));
        RunReport r = t.orchestrator(b, e -> {
            if (e.type() == RunEvent.Type.STARTED && e.node().equals("db")) {
                t.disconnect(b);
            }
        }).up(d.plan());
        Expect.that(r, r.error().isPresent() && r.error().get().reason() == Failure.Reason.PLATFORM_UNREACHABLE,
                "the run's own error to be PLATFORM_UNREACHABLE");
        Expect.that(r, r.rootFailures().isEmpty(), "no node blamed, but " + r.rootFailures());
        Expect.that(r, !r.succeeded(), "the run failed");
    }

    private static void longChain(Trial t) {
        Deployment.Builder chain = Deployment.builder(t.name("chain"));
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            int k = i;
            chain.service("n" + i, s -> {
                s.image(IMAGE);
                if (k > 0) {
                    s.dependsOn("n" + (k - 1), STARTED);
                }
            });
        }
        Deployment d = chain.build();
        RunReport ok = t.up(t.backend(Scripts.none()), d.plan());
        ReportAssert.assertThat(ok).succeeded();
        Backend failing = t.backend(Scripts.none().with("n0", Script.service().neverReady()));
        Deployment chainOnSick = d.toBuilder().service("n0", s -> s.image(IMAGE).port(5432).healthCheck(TCP))
                .service("n1", s -> s.image(IMAGE).dependsOn("n0", HEALTHY)).build();
        RunReport bad = t.up(failing, chainOnSick.plan());
        ReportAssert.assertThat(bad).failed().failedWith("n0", Failure.Reason.UNHEALTHY)
                .failedWith("n" + (n - 1), Failure.Reason.DEPENDENCY_FAILED);
    }

    private static void stagedNotStarted(Trial t) {
        Deployment d = Deployment.builder(t.name("staged"))
                .job("migrate", j -> j.image(IMAGE))
                .service("app", s -> s.image(IMAGE).dependsOn("migrate", COMPLETED_SUCCESSFULLY))
                .service("ui", s -> s.image(IMAGE).dependsOn("app", STARTED))
                .build();
        Backend b = t.backend(Scripts.none().with("migrate", Script.job().exits(Duration.ofSeconds(2), 4)));
        t.downAfter(b, d);
        RunReport r = t.orchestrator(b, RunListener.NONE)
                .failurePolicy(FailurePolicy.CONTINUE).up(d.plan());
        ReportAssert.assertThat(r).failed().failedWith("migrate", Failure.Reason.JOB_FAILED)
                .hasState("app", NodeState.SKIPPED).hasState("ui", NodeState.SKIPPED);
        List<String> left = b.observe(d).stream().map(o -> o.node()).sorted().toList();
        Expect.that(r, left.equals(List.of("migrate")), "only the failed job's container left (CONTINUE keeps it),"
                + " nothing of the skipped nodes, but the platform holds " + left);
    }
}
