package dev.ordo.dataflow;

import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.Job;
import dev.ordo.Param;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunOrigin;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Fact;
import dev.ordo.spi.StopMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One run of a trigger's pipeline: its steps (the target and its on-demand dependencies) as a {@link Flow} whose
 * containers carry the run's id, each step with the trigger's environment values for the fire instant. The services
 * the steps need must be up and ready when it starts, or the run fails naming them. Once settled, its containers are
 * removed (their exit codes and log tails stay in the report).
 */
final class PipelineRun {
    enum State { QUEUED, RUNNING, DONE }

    final String id;
    final Trigger trigger;
    final String cause;
    final Instant firedAt;
    final Map<String, String> overrides;
    final CompletableFuture<RunReport> future;
    State state = State.QUEUED;
    private final Session session;
    private final Plan plan;
    private Flow flow;
    private Instant startedAt;
    private final Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
    private Failure error;
    /** Steps this run stops before it ends (a replaced run), until the platform says they stopped. */
    private final Set<String> stopping = new HashSet<>();
    private final Set<String> stopped = new HashSet<>();

    PipelineRun(String id, Trigger trigger, String cause, Instant firedAt, Map<String, String> overrides,
                CompletableFuture<RunReport> future, Session session, Plan plan) {
        this.id = id;
        this.trigger = trigger;
        this.cause = cause;
        this.firedAt = firedAt;
        this.overrides = Map.copyOf(overrides);
        this.future = future;
        this.session = session;
        this.plan = plan;
    }

    /**
     * Starts the steps whose conditions hold, unless a service a step needs is not ready.
     *
     * @param upLives the lives of the living deployment's start-up nodes, by name
     */
    void start(Function<String, NodeLife> upLives) {
        state = State.RUNNING;
        startedAt = session.now();
        List<Job> steps = plan.pipeline(trigger.name());
        List<String> names = steps.stream().map(Job::name).toList();
        List<String> missing = new ArrayList<>();
        for (Job step : steps) {
            for (Dependency d : step.dependencies()) {
                if (!names.contains(d.target())) {
                    NodeLife up = upLives.apply(d.target());
                    if (up == null ? d.required() : !up.phase.meets(d.condition())) {
                        missing.add("step '" + step.name() + "' needs '" + d.target() + "' to be " + d.condition()
                                + ", but it is " + (up == null ? "not up" : up.phase.name().toLowerCase(
                                Locale.ROOT)));
                    }
                }
            }
        }
        ZonedDateTime fire = ZonedDateTime.ofInstant(firedAt, trigger.zone());
        for (Job step : steps) {
            Map<String, String> env = new LinkedHashMap<>();
            for (Map.Entry<String, Param> e : trigger.envOf(step.name()).entrySet()) {
                env.put(e.getKey(), e.getValue().at(fire));
            }
            env.putAll(overrides);
            parameters.put(step.name(), env);
        }
        if (!missing.isEmpty()) {
            error = Failure.of(Failure.Reason.DEPENDENCY_FAILED, "run " + id + " of trigger '" + trigger.name()
                    + "' cannot start: " + String.join("; ", missing) + "; bring the deployment up (or wait until it"
                    + " is ready) and trigger it again");
            return;
        }
        flow = new Flow(session, FailurePolicy.STOP_SCHEDULING, Optional.of(id), true);
        for (Job step : steps) {
            flow.add(withEnv(step, parameters.get(step.name())));
        }
        for (Job step : steps) {
            for (Dependency d : step.dependencies()) {
                if (names.contains(d.target())) {
                    flow.connect(d.target(), step.name(), d.condition(), d.restart());
                }
            }
        }
        flow.prioritise(new ArrayList<>(steps));
        session.emit(RunEvent.Type.RUN_STARTED, trigger.name(), id + ": " + String.join(" -> ", names));
        flow.begin();
    }

    /** Whether the run has nothing left to wait for. */
    boolean settled() {
        return state == State.RUNNING && (flow == null || flow.settled()) && stopping.isEmpty();
    }

    /**
     * Overlap REPLACE: the run is cancelled and each of its steps' containers is stopped, with the step's stop
     * signal and grace period, and removed; the run settles once the platform says they stopped, so that the run
     * replacing it starts only then.
     */
    void replaceBy(String by) {
        cancel("was replaced by " + by);
        if (flow == null) {
            return;
        }
        for (NodeLife l : flow.lives.values()) {
            if (l.launchedByRun && stopping.add(l.key())) {
                stopStep(l);
            }
        }
    }

    private void stopStep(NodeLife l) {
        String key = l.key();
        Duration grace = l.node.container().stopGracePeriod();
        session.emit(RunEvent.Type.STOPPING, key, "its run was replaced");
        session.awaitStop(key, f -> stepStopped(l, f instanceof Fact.Refused r ? "could not be stopped: " + r.reason()
                : "removed"));
        session.stop(key, StopMode.remove(grace));
        session.timers.at(session.now().plus(grace).plus(Teardown.STOP_MARGIN), null, () -> {
            if (stopping.contains(key)) {
                session.stopAwaited(key);
                stepStopped(l, "did not stop within its grace period plus " + Session.human(Teardown.STOP_MARGIN)
                        + "; it may still be running: check it and run down again");
            }
        });
    }

    private void stepStopped(NodeLife l, String how) {
        if (stopping.remove(l.key())) {
            stopped.add(l.key());
            l.stoppedAt(session.now());
            session.emit(RunEvent.Type.STOPPED, l.key(), how);
        }
    }

    /** Stops the running steps at once; the run then ends failed with {@code why}. */
    void cancel(String why) {
        if (error == null) {
            error = Failure.of(Failure.Reason.NOT_SCHEDULED, "run " + id + " of trigger '" + trigger.name() + "' "
                    + why);
        }
        if (flow != null) {
            for (NodeLife l : flow.lives.values()) {
                if (l.inFlight() || l.phase.waiting()) {
                    session.pools.forget(l);
                    l.cancel(Failure.of(Failure.Reason.NOT_SCHEDULED, l.what() + " was cancelled: the run " + why));
                    session.pools.release(l);
                    flow.track(l);
                }
            }
            flow.stopScheduling();
        }
    }

    /** Ends the run: rules out what still waits, removes its containers, and makes its report. */
    RunReport finish() {
        state = State.DONE;
        List<NodeTimeline> rows = new ArrayList<>();
        if (flow != null) {
            flow.unstageLeftovers();
            if (session.lost() == null) {
                RunEnding.settleLeftovers(flow, flow.lives.values());
            }
            for (NodeLife l : flow.lives.values()) {
                rows.add(ReportRows.of(l));
                if (l.launchedByRun && session.lost() == null && !stopped.contains(l.key())) {
                    session.stopInBackground(l.key(), StopMode.remove(Duration.ZERO));
                }
            }
            flow.close();
        }
        Instant start = startedAt == null ? session.now() : startedAt;
        Optional<Failure> runError = session.lost() != null ? Optional.of(session.outage(session.lost(), "run " + id))
                : Optional.ofNullable(error);
        RunReport report = new RunReport(session.deployment().name(), RunReport.Operation.RUN, session.backend.name(),
                start, Duration.between(start, session.now()), rows, runError, List.of(),
                Optional.of(new RunOrigin(trigger.name(), id, cause, firedAt, parameters)));
        if (startedAt == null) {
            return report; // never started (skipped or dropped from the queue): its fire event said why
        }
        session.emit(report.succeeded() ? RunEvent.Type.RUN_SUCCEEDED : RunEvent.Type.RUN_FAILED, trigger.name(),
                id + (report.succeeded() ? "" : ": " + report.error().map(Failure::message).orElseGet(() ->
                        report.rootFailures().stream().findFirst().flatMap(NodeTimeline::failure)
                                .map(Failure::message).orElse("failed"))));
        return report;
    }

    /** {@code job} with {@code env} added to its environment (the run's own containers only). */
    static Job withEnv(Job job, Map<String, String> env) {
        if (env.isEmpty()) {
            return job;
        }
        Container c = job.container();
        Map<String, String> merged = new LinkedHashMap<>(c.environment());
        merged.putAll(env);
        Container withEnv = c.withEnvironment(merged);
        return new Job(job.name(), withEnv, job.backoffLimit(), job.activeDeadline(), job.schedule(),
                job.dependencies(), job.profiles(), job.pool(), job.labels(), true);
    }
}
