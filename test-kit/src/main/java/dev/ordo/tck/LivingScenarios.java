package dev.ordo.tck;

import static dev.ordo.Condition.COMPLETED_SUCCESSFULLY;
import static dev.ordo.Condition.HEALTHY;
import static dev.ordo.tck.LifecycleScenarios.IMAGE;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Overlap;
import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeState;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The contract's scenarios about a deployment that lives after {@code up}: a triggered pipeline's steps run in
 * order on the backend with the run's parameters and the services stay up; a failing step aborts the rest with its
 * exit code and output; a run whose services are not ready fails naming them. Core decides all of it; these pin
 * that each backend runs on-demand steps as it runs start-up jobs and reports them the same way.
 */
final class LivingScenarios {
    private static final HealthCheck TCP = HealthCheck.tcp(5432).interval(Duration.ofSeconds(1)).retries(3);

    private LivingScenarios() {
    }

    static List<Scenario> all() {
        return List.of(
                new Scenario(ScenarioNames.LIVING_PIPELINE, LivingScenarios::pipeline),
                new Scenario(ScenarioNames.LIVING_STEP_FAILS, LivingScenarios::stepFails),
                new Scenario(ScenarioNames.LIVING_SERVICE_NOT_READY, LivingScenarios::serviceNotReady),
                new Scenario(ScenarioNames.LIVING_REPLACE, LivingScenarios::replace));
    }

    private static Deployment pipelineDeployment(String name) {
        return Deployment.builder(name)
                .service("db", s -> s.image(IMAGE).port(5432).healthCheck(TCP))
                .job("extract", j -> j.image(IMAGE).onDemand().dependsOn("db", HEALTHY))
                .job("load", j -> j.image(IMAGE).onDemand().dependsOn("extract", COMPLETED_SUCCESSFULLY)
                        .dependsOn("db", HEALTHY))
                .trigger("nightly", t -> t.target("load").manual().env("MODE", "nightly")
                        .env("load", "BATCH", "7"))
                .build();
    }

    private static RunReport run(Trial t, LiveDeployment live, Map<String, String> overrides) throws Exception {
        // A generous bound: the run's own per-node timeouts end it long before on a working backend.
        return live.trigger("nightly", overrides).get(t.timeout().toSeconds() * 4, TimeUnit.SECONDS);
    }

    private static void pipeline(Trial t) throws Exception {
        Deployment d = pipelineDeployment(t.name("nightly"));
        Plan plan = d.plan();
        Backend b = t.backend(Scripts.none().with("extract", Script.job().exits(Duration.ofMillis(300), 0)));
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        RunReport run;
        try (LiveDeployment live = t.start(b, plan, events::add)) {
            RunReport startup = live.startup();
            Expect.that(startup, startup.succeeded(), "the start-up succeeded");
            Expect.that(startup, startup.nodes().stream().noneMatch(n -> n.node().equals("extract")
                    || n.node().equals("load")), "on-demand steps are not part of the start-up");
            run = run(t, live, Map.of("WINDOW", "14"));
        }
        Expect.that(run, run.succeeded(), "the run succeeded");
        Expect.that(run, run.node("extract").state() == NodeState.COMPLETED, "'extract' completed");
        Expect.that(run, run.node("load").state() == NodeState.COMPLETED, "'load' completed");
        Expect.notBefore(run, run.node("load").started().orElseThrow(), run.node("extract").finished().orElseThrow(),
                "'load' started after 'extract' exited");
        Map<String, String> loadEnv = run.origin().orElseThrow().parameters().get("load");
        Expect.that(run, "nightly".equals(loadEnv.get("MODE")) && "7".equals(loadEnv.get("BATCH"))
                && "14".equals(loadEnv.get("WINDOW")), "the step's parameters: trigger, step and override values, "
                + "got " + loadEnv);
        List<RunEvent.Type> runEvents = types(events);
        Expect.that(run, runEvents.indexOf(RunEvent.Type.RUN_STARTED) >= 0
                && runEvents.indexOf(RunEvent.Type.RUN_SUCCEEDED) > runEvents.indexOf(RunEvent.Type.RUN_STARTED),
                "RUN_STARTED then RUN_SUCCEEDED reported, got " + runEvents);
        // closing the handle leaves the services running: the next up keeps them
        RunReport again = t.up(b, plan);
        Expect.that(again, again.node("db").reused(), "'db' kept running after the handle closed");
    }

    private static List<RunEvent.Type> types(List<RunEvent> events) {
        synchronized (events) {
            return events.stream().map(RunEvent::type)
                    .filter(ty -> ty.name().startsWith("RUN_") || ty == RunEvent.Type.FIRED).toList();
        }
    }

    private static void stepFails(Trial t) throws Exception {
        Deployment d = pipelineDeployment(t.name("abort"));
        Backend b = t.backend(Scripts.none().with("extract", Script.job().exits(Duration.ofMillis(200), 3)
                .prints("extracting").printsToStderr("ERROR: partition missing")));
        RunReport run;
        try (LiveDeployment live = t.start(b, d.plan(), e -> { })) {
            run = run(t, live, Map.of());
        }
        Expect.that(run, !run.succeeded(), "the run failed");
        Failure why = run.node("extract").failure().orElse(null);
        Expect.that(run, why != null && why.reason() == Failure.Reason.JOB_FAILED, "'extract' failed as a job");
        Expect.exitCode(run, "extract", 3);
        Expect.that(run, why.logTail().contains("ERROR: partition missing"), "the error line in the log tail, got "
                + why.logTail());
        Expect.that(run, run.node("load").state() == NodeState.SKIPPED, "'load' skipped");
        Expect.that(run, run.node("load").failure().flatMap(Failure::cause).orElse("").contains("extract"),
                "'load' skipped because of 'extract'");
    }

    private static void replace(Trial t) throws Exception {
        Deployment d = Deployment.builder(t.name("replace"))
                .job("load", j -> j.image(IMAGE).onDemand())
                .trigger("often", tr -> tr.target("load").manual().overlap(Overlap.REPLACE))
                .build();
        Backend b = t.backend(Scripts.none().with("load", Script.job().exits(Duration.ofSeconds(3), 0)));
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        RunReport replaced;
        RunReport next;
        try (LiveDeployment live = t.start(b, d.plan(), e -> {
            events.add(e);
            if (e.type() == RunEvent.Type.STARTED && e.node().startsWith("load@")) {
                started.countDown();
            }
        })) {
            CompletableFuture<RunReport> first = live.trigger("often");
            // the first run's step runs before the second fire (in virtual time the handle drives the clock)
            long bound = t.timeout().toMillis();
            while (started.getCount() > 0 && bound > 0) {
                if (b.time().isVirtual()) {
                    live.advance(Duration.ofMillis(100));
                } else {
                    started.await(100, TimeUnit.MILLISECONDS);
                }
                bound -= 100;
            }
            Expect.that(live.startup(), started.getCount() == 0, "the first run's step started");
            CompletableFuture<RunReport> second = live.trigger("often");
            replaced = first.get(t.timeout().toSeconds() * 4, TimeUnit.SECONDS);
            next = second.get(t.timeout().toSeconds() * 4, TimeUnit.SECONDS);
        }
        Expect.that(replaced, !replaced.succeeded() && replaced.error().map(Failure::message).orElse("")
                .contains("was replaced by"), "the first run failed, replaced by the second");
        Expect.that(replaced, replaced.node("load").finished().isPresent(), "the replaced step has a finish time");
        String oldKey = "load@" + replaced.origin().orElseThrow().run();
        String newKey = "load@" + next.origin().orElseThrow().run();
        List<RunEvent> seen;
        synchronized (events) {
            seen = List.copyOf(events);
        }
        int stopped = -1;
        int starting = -1;
        for (int i = 0; i < seen.size(); i++) {
            RunEvent e = seen.get(i);
            if (stopped < 0 && e.type() == RunEvent.Type.STOPPED && e.node().equals(oldKey)) {
                stopped = i;
            }
            if (starting < 0 && e.type() == RunEvent.Type.STARTING && e.node().equals(newKey)) {
                starting = i;
            }
        }
        Expect.that(next, stopped >= 0 && starting > stopped, "'" + oldKey + "' reported STOPPED before '"
                + newKey + "' was started (events " + stopped + ", " + starting + ")");
        Expect.that(next, next.succeeded(), "the replacing run succeeded");
    }

    private static void serviceNotReady(Trial t) throws Exception {
        Deployment d = pipelineDeployment(t.name("unready"));
        Backend b = t.backend(Scripts.none().with("db", Script.service().neverReady()));
        RunReport run;
        try (LiveDeployment live = t.start(b, d.plan(), e -> { })) {
            Expect.that(live.startup(), !live.startup().succeeded(), "the start-up failed: 'db' never healthy");
            run = run(t, live, Map.of());
        }
        Expect.that(run, !run.succeeded(), "the run failed");
        String message = run.error().map(Failure::message).orElse("(no error)");
        Expect.that(run, message.contains("'db'") && message.contains("HEALTHY"), "the run's error names 'db' and"
                + " the condition it needs, got: " + message);
        Expect.that(run, run.nodes().stream().noneMatch(n -> n.node().equals("extract") && n.wasStarted()),
                "no step started");
    }
}
