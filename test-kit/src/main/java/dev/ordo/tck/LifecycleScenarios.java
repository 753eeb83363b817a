package dev.ordo.tck;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static dev.ordo.Condition.STARTED;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Plan;
import dev.ordo.Resources;
import dev.ordo.RestartPolicy;
import dev.ordo.Security;
import dev.ordo.Toleration;
import dev.ordo.run.Failure;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.testing.ReportAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The contract's scenarios about a node's life: ordering by every condition, each health-check kind, job exit
 * codes, retries and deadlines, crashes before and after ready, restart policies, crash loops and killed nodes.
 */
final class LifecycleScenarios {
    static final String IMAGE = "tck/app:1";
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private LifecycleScenarios() {
    }

    static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(new Scenario(ScenarioNames.ORDERING, LifecycleScenarios::ordering));
        for (String kind : List.of("command", "shell", "http", "tcp", "log line")) {
            s.add(new Scenario(ScenarioNames.HEALTH_KIND + kind, t -> healthKind(t, kind)));
        }
        s.add(new Scenario(ScenarioNames.NEVER_HEALTHY, LifecycleScenarios::neverHealthy));
        s.add(new Scenario(ScenarioNames.JOB_EXIT_CODE, LifecycleScenarios::jobExitCode));
        s.add(new Scenario(ScenarioNames.JOB_RETRIES, LifecycleScenarios::jobRetries));
        s.add(new Scenario(ScenarioNames.JOB_RETRIES_EXHAUSTED, LifecycleScenarios::jobRetriesExhausted));
        s.add(new Scenario(ScenarioNames.JOB_DEADLINE, LifecycleScenarios::jobDeadline));
        s.add(new Scenario(ScenarioNames.CRASH_BEFORE_READY, LifecycleScenarios::crashBeforeReady));
        s.add(new Scenario(ScenarioNames.CRASH_LOOP, LifecycleScenarios::crashLoop));
        s.add(new Scenario(ScenarioNames.CRASH_AFTER_READY, LifecycleScenarios::crashAfterReady));
        s.add(new Scenario(ScenarioNames.RESTART_AFTER_READY, LifecycleScenarios::restartAfterReady));
        s.add(new Scenario(ScenarioNames.LIVENESS_RESTART, LifecycleScenarios::livenessRestart));
        s.add(new Scenario(ScenarioNames.SETTINGS_RUN, LifecycleScenarios::settingsRun));
        for (RestartPolicy p : RestartPolicy.values()) {
            s.add(new Scenario(ScenarioNames.KILLED_DEPENDENCY + p, t -> killedDependency(t, p)));
        }
        s.add(new Scenario(ScenarioNames.KILLED_AFTER_HEALTHY, LifecycleScenarios::killedAfterHealthy));
        return s;
    }

    private static HealthCheck check(String kind) {
        HealthCheck hc = switch (kind) {
            case "command" -> HealthCheck.command("pg_isready");
            case "shell" -> HealthCheck.shell("pg_isready -q && test -e /tmp/ready");
            case "http" -> HealthCheck.http(8080, "/health");
            case "log line" -> HealthCheck.logLine("ready to accept connections");
            default -> HealthCheck.tcp(5432);
        };
        return hc.interval(INTERVAL).retries(3);
    }

    private static void ordering(Trial t) {
        Deployment d = Deployment.builder(t.name("order"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp")))
                .service("sidecar", s -> s.image(IMAGE).dependsOn("db", STARTED))
                .job("migrate", j -> j.image(IMAGE).dependsOn("db", HEALTHY))
                .service("app", s -> s.image(IMAGE).dependsOn("migrate", COMPLETED_SUCCESSFULLY))
                .build();
        Backend b = t.backend(Scripts.none()
                .with("db", Script.service().readyAfter(Duration.ofSeconds(1)))
                .with("migrate", Script.job().exits(Duration.ofMillis(500), 0)));
        Plan plan = d.plan();
        RunReport r = t.up(b, plan);
        ReportAssert.assertThat(r).succeeded().respectsDependencies(plan)
                .hasState("db", NodeState.HEALTHY).hasState("sidecar", NodeState.STARTED)
                .hasState("migrate", NodeState.COMPLETED).hasState("app", NodeState.STARTED);
        NodeTimeline db = r.node("db");
        Expect.notBefore(r, r.node("sidecar").requested().orElseThrow(), db.started().orElseThrow(),
                "sidecar is requested once db runs");
        Expect.notBefore(r, r.node("migrate").requested().orElseThrow(), db.ready().orElseThrow(),
                "migrate is requested once db is healthy");
        Expect.notBefore(r, r.node("app").requested().orElseThrow(), r.node("migrate").finished().orElseThrow(),
                "app is requested once migrate completed");
    }

    private static void healthKind(Trial t, String kind) {
        Deployment d = Deployment.builder(t.name("health"))
                .service("svc", s -> s.image(IMAGE).port(kind.equals("http") ? 8080 : 5432).healthCheck(check(kind)))
                .service("after", s -> s.image(IMAGE).dependsOn("svc", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("svc", Script.service().readyAfter(Duration.ofMillis(1500))
                .prints("ready to accept connections")));
        Plan plan = d.plan();
        RunReport r = t.up(b, plan);
        ReportAssert.assertThat(r).succeeded().respectsDependencies(plan).hasState("svc", NodeState.HEALTHY)
                .hasState("after", NodeState.STARTED);
        Expect.notBefore(r, r.node("svc").ready().orElseThrow(), r.node("svc").started().orElseThrow(),
                "svc is healthy after it started");
    }

    private static void neverHealthy(Trial t) {
        Deployment d = Deployment.builder(t.name("sick"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp").retries(2)))
                .service("api", s -> s.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().neverReady()));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.UNHEALTHY).neverStarted("api")
                .failedWith("api", Failure.Reason.DEPENDENCY_FAILED);
        Expect.says(r, "db", "failed its health check for 2s after its start");
    }

    private static void jobExitCode(Trial t) {
        Deployment d = Deployment.builder(t.name("jobfail"))
                .job("migrate", j -> j.image(IMAGE))
                .service("app", s -> s.image(IMAGE).dependsOn("migrate", COMPLETED_SUCCESSFULLY))
                .build();
        Backend b = t.backend(Scripts.none().with("migrate", Script.job().exits(Duration.ofMillis(200), 3)
                .prints("migrating").printsToStderr("ERROR: relation exists")));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("migrate", Failure.Reason.JOB_FAILED).neverStarted("app")
                .failedWith("app", Failure.Reason.DEPENDENCY_FAILED);
        Expect.exitCode(r, "migrate", 3);
        Expect.says(r, "migrate", "exited with code 3; last output: 'ERROR: relation exists'");
        List<String> tail = r.node("migrate").failure().orElseThrow().logTail();
        Expect.that(r, tail.contains("migrating") && tail.indexOf("migrating") < tail.indexOf("ERROR: relation exists"),
                "the log tail to hold 'migrating' then 'ERROR: relation exists', it holds " + tail);
    }

    private static void jobRetries(Trial t) {
        Deployment d = Deployment.builder(t.name("retry"))
                .job("migrate", j -> j.image(IMAGE).retries(2))
                .build();
        Backend b = t.backend(Scripts.none().with("migrate", Script.job().exits(Duration.ofMillis(200), 1, 1, 0)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("migrate", NodeState.COMPLETED);
        Expect.that(r, r.node("migrate").restarts() == 2, "migrate retried twice, it was retried "
                + r.node("migrate").restarts() + " times");
    }

    private static void jobRetriesExhausted(Trial t) {
        Deployment d = Deployment.builder(t.name("retries"))
                .job("migrate", j -> j.image(IMAGE).retries(1))
                .build();
        Backend b = t.backend(Scripts.none().with("migrate", Script.job().exits(Duration.ofMillis(200), 2)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("migrate", Failure.Reason.JOB_FAILED);
        Expect.exitCode(r, "migrate", 2);
        Expect.says(r, "migrate", "exited with code 2 on its last of 2 attempts");
        Expect.that(r, r.node("migrate").restarts() == 1, "migrate retried once");
    }

    private static void jobDeadline(Trial t) {
        Duration deadline = Duration.ofSeconds(2);
        Deployment d = Deployment.builder(t.name("deadline"))
                .job("backfill", j -> j.image(IMAGE).activeDeadline(deadline))
                .build();
        Backend b = t.backend(Scripts.none().with("backfill", Script.job().exits(Duration.ofMinutes(5), 0)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("backfill", Failure.Reason.TIMEOUT);
        Expect.says(r, "backfill", "exceeded its active deadline of 2s and was killed");
        NodeTimeline job = r.node("backfill");
        Expect.notBefore(r, job.finished().orElseThrow(), job.started().orElseThrow().plus(deadline),
                "the deadline counts from the job's own start");
    }

    private static void crashBeforeReady(Trial t) {
        Deployment d = Deployment.builder(t.name("crash"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp")).restart(RestartPolicy.NO))
                .service("api", s -> s.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(30))
                .exits(Duration.ofMillis(300), 3).prints("FATAL: bad config")));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.CRASHED).neverStarted("api");
        Expect.exitCode(r, "db", 3);
        Expect.says(r, "db", "exited with code 3 and its restart policy is NO; last output: 'FATAL: bad config'");
    }

    private static void crashLoop(Trial t) {
        Deployment d = Deployment.builder(t.name("loop"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp").retries(30))
                        .restart(RestartPolicy.ON_FAILURE))
                .service("api", s -> s.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(30))
                .exits(Duration.ofMillis(300), 3).prints("FATAL: bad config")));
        RunReport r = t.orchestrator(b, e -> { }).timeout(Duration.ofSeconds(5)).up(d.plan());
        t.downAfter(b, d);
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.TIMEOUT).neverStarted("api");
        Expect.that(r, r.node("db").restarts() >= 2, "db's restarts counted (at least 2)");
        Expect.exitCode(r, "db", 3);
        Expect.says(r, "db", "last exit code 3");
        Expect.says(r, "db", "last output: 'FATAL: bad config'");
    }

    private static void crashAfterReady(Trial t) {
        Deployment d = Deployment.builder(t.name("late"))
                .service("worker", s -> s.image(IMAGE).restart(RestartPolicy.NO))
                .job("slow", j -> j.image(IMAGE))
                .build();
        Backend b = t.backend(Scripts.none()
                .with("worker", Script.service().exits(Duration.ofSeconds(1), 5))
                .with("slow", Script.job().exits(Duration.ofSeconds(4), 0)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).failed().failedWith("worker", Failure.Reason.CRASHED)
                .hasState("slow", NodeState.COMPLETED);
        Expect.exitCode(r, "worker", 5);
        Expect.says(r, "worker", "exited with code 5 after it was ready and its restart policy is NO");
    }

    /**
     * What every backend does with the settings only some platforms act on: Kubernetes applies them all, Docker the
     * resources and the user (its stand-ins keep the resources), the simulated platform keeps them as data; none
     * refuses the node for them.
     */
    private static void settingsRun(Trial t) {
        Deployment d = Deployment.builder(t.name("settings"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp"))
                        .resources(Resources.none().cpu("100m", "500m").memory("16Mi", "64Mi"))
                        .security(Security.none().user(1000).group(1000).nonRoot())
                        .nodeSelector("kubernetes.io/os", "linux")
                        .toleration(Toleration.exists("dedicated", Toleration.Effect.NO_SCHEDULE))
                        .liveness(HealthCheck.command("true").interval(INTERVAL)))
                .job("migrate", j -> j.image(IMAGE).dependsOn("db", HEALTHY)
                        .resources(Resources.none().memory("", "32Mi")))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofMillis(500)))
                .with("migrate", Script.job().exits(Duration.ofMillis(200), 0)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("db", NodeState.HEALTHY)
                .hasState("migrate", NodeState.COMPLETED);
        Expect.that(r, r.node("db").restarts() == 0, "a passing liveness check restarts nothing");
    }

    private static void livenessRestart(Trial t) {
        // The default restart policy (NO) on purpose: a liveness restart happens whatever the policy says.
        Deployment d = Deployment.builder(t.name("liveness"))
                .service("api", s -> s.image(IMAGE).port(8080).healthCheck(check("tcp"))
                        .liveness(HealthCheck.command("test", "!", "-e", "/tmp/wedged").interval(INTERVAL).retries(2)))
                .service("app", s -> s.image(IMAGE).dependsOn("api", HEALTHY))
                .job("slow", j -> j.image(IMAGE).dependsOn("api", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none()
                .with("api", Script.service().livenessFailsAfter(Duration.ofSeconds(1)))
                .with("slow", Script.job().exits(Duration.ofSeconds(6), 0)));
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        RunReport r = t.up(b, d.plan(), events::add);
        ReportAssert.assertThat(r).succeeded().hasState("slow", NodeState.COMPLETED).hasState("api", NodeState.HEALTHY);
        Expect.that(r, r.node("api").restarts() >= 1, "api's liveness restart is counted");
        // core counts the probes it is told of; a platform that counts them itself (the kubelet) reports its kill
        String said = t.livenessJudge() == BackendContract.LivenessJudge.CORE
                ? "failed its liveness check 2 times in a row"
                : "the platform killed it for failing its liveness check";
        Expect.that(r, events.stream().anyMatch(e -> e.type() == RunEvent.Type.RESTARTING && e.node().equals("api")
                && e.detail().contains(said)), "RESTARTING says '" + said + "': " + events);
    }

    private static void restartAfterReady(Trial t) {
        Deployment d = Deployment.builder(t.name("restart"))
                .service("worker", s -> s.image(IMAGE).restart(RestartPolicy.ALWAYS))
                .job("slow", j -> j.image(IMAGE))
                .build();
        Backend b = t.backend(Scripts.none()
                .with("worker", Script.service().exits(Duration.ofSeconds(1), 5))
                .with("slow", Script.job().exits(Duration.ofMillis(2500), 0)));
        RunReport r = t.up(b, d.plan());
        ReportAssert.assertThat(r).succeeded().hasState("slow", NodeState.COMPLETED);
        Expect.that(r, r.node("worker").restarts() >= 1, "worker's restarts by its policy are counted");
    }

    private static void killedDependency(Trial t, RestartPolicy policy) {
        Deployment d = Deployment.builder(t.name("killed"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp").retries(60)).restart(policy))
                .service("api", s -> s.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofMinutes(5))));
        AtomicBoolean killed = new AtomicBoolean();
        RunReport r = t.up(b, d.plan(), e -> {
            if (e.type() == RunEvent.Type.STARTED && e.node().equals("db") && killed.compareAndSet(false, true)) {
                t.kill(b, d, "db");
            }
        });
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.CRASHED).neverStarted("api")
                .failedWith("api", Failure.Reason.DEPENDENCY_FAILED);
        Expect.exitCode(r, "db", 137);
    }

    private static void killedAfterHealthy(Trial t) {
        Deployment d = Deployment.builder(t.name("killready"))
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(check("tcp")).restart(RestartPolicy.ALWAYS))
                .job("report", j -> j.image(IMAGE).dependsOn("db", HEALTHY))
                .build();
        Backend b = t.backend(Scripts.none().with("report", Script.job().exits(Duration.ofSeconds(6), 0)));
        AtomicBoolean killed = new AtomicBoolean();
        RunReport r = t.up(b, d.plan(), e -> {
            if (e.type() == RunEvent.Type.STARTED && e.node().equals("report") && killed.compareAndSet(false, true)) {
                t.kill(b, d, "db");
            }
        });
        ReportAssert.assertThat(r).failed().failedWith("db", Failure.Reason.CRASHED);
        Expect.exitCode(r, "db", 137);
        Expect.says(r, "db", "after it was ready");
        Expect.that(r, r.node("db").ready().isPresent(), "db was ready before it was killed");
    }
}
