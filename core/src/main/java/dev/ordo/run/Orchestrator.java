package dev.ordo.run;

import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.Placements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The entry point for running deployments: brings a {@link Plan} up, and a deployment down, through a
 * {@link Backend}. Immutable: each option returns a new orchestrator.
 *
 * <pre>{@code
 * Orchestrator ordo = Orchestrator.using(DockerBackend.local())
 *     .listener(e -> System.out.println(e.at() + " " + e.node() + " " + e.type()))
 *     .failurePolicy(FailurePolicy.TEAR_DOWN);
 * RunReport up = ordo.up(deployment.plan());
 * ordo.down(deployment, DownOptions.defaults().removeVolumes(true));
 * }</pre>
 */
public final class Orchestrator {
    /** How long a node may take from being started until it is ready (a job: done) unless it says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Dataflow DATAFLOW = Dataflow.installed();

    private final Backend backend;
    private final RunListener listener;
    private final FailurePolicy failurePolicy;
    private final Duration timeout;
    private final boolean rerunJobs;
    private final boolean restartDependents;
    private final StateStore store;

    private Orchestrator(Backend backend, RunListener listener, FailurePolicy failurePolicy, Duration timeout,
                         boolean rerunJobs, boolean restartDependents, StateStore store) {
        this.restartDependents = restartDependents;
        this.store = store;
        this.backend = backend;
        this.listener = listener;
        this.failurePolicy = failurePolicy;
        this.timeout = timeout;
        this.rerunJobs = rerunJobs;
    }

    /** An orchestrator that runs on {@code backend}, with default options. */
    public static Orchestrator using(Backend backend) {
        return new Orchestrator(Objects.requireNonNull(backend, "backend == null"), RunListener.NONE,
                FailurePolicy.STOP_SCHEDULING, DEFAULT_TIMEOUT, false, false, StateStore.none());
    }

    /** This orchestrator, reporting progress to {@code listener}. */
    public Orchestrator listener(RunListener listener) {
        return new Orchestrator(backend, Objects.requireNonNull(listener, "listener == null"), failurePolicy, timeout,
                rerunJobs, restartDependents, store);
    }

    /** This orchestrator, reacting to failures as {@code policy} says (default {@link FailurePolicy#STOP_SCHEDULING}). */
    public Orchestrator failurePolicy(FailurePolicy policy) {
        return new Orchestrator(backend, listener, Objects.requireNonNull(policy, "policy == null"), timeout, rerunJobs,
                restartDependents, store);
    }

    /**
     * This orchestrator, failing a node that is not ready (a job: not done) within {@code timeout} of Ordo asking the
     * backend to start it; a job's active deadline takes precedence. Default {@link #DEFAULT_TIMEOUT}.
     */
    public Orchestrator timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new Orchestrator(backend, listener, failurePolicy, timeout, rerunJobs, restartDependents, store);
    }

    /** This orchestrator, re-running jobs that completed in an earlier {@code up} (default: they are kept). */
    public Orchestrator rerunCompletedJobs(boolean rerun) {
        return new Orchestrator(backend, listener, failurePolicy, timeout, rerun, restartDependents, store);
    }

    /**
     * Brings {@code plan} up: starts each node as soon as its conditions hold and its pool has a slot, keeps
     * running nodes whose configuration is unchanged, recreates changed ones, removes nodes the deployment no
     * longer defines, and returns when every node is ready, completed, failed or ruled out. Interrupting the thread
     * that runs it (as a SIGTERM handler does) ends it under the failure policy: {@code TEAR_DOWN} removes what it
     * started; the report's {@link RunReport#error()} says it was interrupted.
     *
     * @return what happened, also when nodes failed; see {@link RunReport#throwIfFailed()}
     */
    public RunReport up(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        return DATAFLOW.up(backend, options(), plan);
    }

    /**
     * Brings {@code plan} up and keeps it living: fires its triggers on time, runs pipelines on demand, follows its
     * services. Returns once the up is done ({@link LiveDeployment#startup()}); close the handle to stop firing.
     */
    public LiveDeployment start(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        return new LiveDeployment(DATAFLOW.start(backend, options(), plan, true));
    }

    /**
     * Runs trigger {@code trigger} of {@code plan} once, by hand, with {@code overrides} (as
     * {@link LiveDeployment#trigger(String, Map)}): brings the plan's services up first as {@link #up} does (running
     * ones are kept), fires nothing else, and leaves the services running. Returns the run's report, or the up's
     * when the services could not be brought up.
     *
     * <pre>{@code
     * RunReport run = Orchestrator.using(docker).runOnce(plan, "daily", Map.of("PROCESSING_WINDOW_DAYS", "14"));
     * }</pre>
     *
     * @throws dev.ordo.OrdoException naming the plan's triggers when it has none called {@code trigger}
     */
    public RunReport runOnce(Plan plan, String trigger, Map<String, String> overrides) {
        Objects.requireNonNull(plan, "plan == null");
        plan.deployment().requireTrigger(trigger);
        try (LiveDeployment live = new LiveDeployment(DATAFLOW.start(backend, options(), plan, false))) {
            if (!live.startup().succeeded()) {
                return live.startup();
            }
            return live.trigger(trigger, overrides).join();
        }
    }

    /**
     * This orchestrator, whose living deployments restart a node's {@code restart(true)} dependents when the
     * platform restarts the node by its restart policy (default: they do not, as with Compose, whose own
     * operations alone restart dependents).
     */
    public Orchestrator restartDependentsOnAutomaticRestart(boolean restart) {
        return new Orchestrator(backend, listener, failurePolicy, timeout, rerunJobs, restart, store);
    }

    /**
     * This orchestrator, whose living deployments keep their state in {@code store} (default
     * {@link StateStore#none()}): each scheduled fire is recorded before its run starts, and a living deployment
     * started again with the same store reports the fires it missed and catches up on them as each trigger's
     * {@link dev.ordo.CatchUp} says.
     */
    public Orchestrator stateStore(StateStore store) {
        return new Orchestrator(backend, listener, failurePolicy, timeout, rerunJobs, restartDependents,
                Objects.requireNonNull(store, "store == null"));
    }

    /** Stops and removes every node of {@code deployment} in reverse dependency order, then its network. */
    public RunReport down(Deployment deployment) {
        return down(deployment, DownOptions.defaults());
    }

    /** Stops and removes every node of {@code deployment} in reverse dependency order, then its shared resources. */
    public RunReport down(Deployment deployment, DownOptions options) {
        Objects.requireNonNull(deployment, "deployment == null");
        Objects.requireNonNull(options, "options == null");
        return DATAFLOW.down(backend, options(), deployment, options);
    }

    /** Stops every running node of {@code deployment} in reverse dependency order, keeping it for a later up. */
    public RunReport stop(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        return DATAFLOW.stop(backend, options(), deployment);
    }

    /** What exists of {@code deployment} now: one entry per defined node, then any node no longer defined. */
    public List<NodeStatus> status(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        List<ObservedNode> observed = backend.observe(deployment);
        List<NodeStatus> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        deployment.nodes().forEach(n -> observed.stream().filter(o -> o.node().equals(n.name())).findFirst()
                .ifPresent(o -> {
                    seen.add(o.node());
                    out.add(new NodeStatus(o.node(), true, o.state(), o.configHash().equals(n.configHash()),
                            o.exitCode(), o.replicas(), Placements.of(backend, deployment, o.node())));
                }));
        observed.stream().filter(o -> !seen.contains(o.node())).forEach(o ->
                out.add(new NodeStatus(o.node(), false, o.state(), false, o.exitCode(), o.replicas())));
        return out;
    }

    private Dataflow.Options options() {
        return new Dataflow.Options(listener, failurePolicy, timeout, rerunJobs, restartDependents, store);
    }
}
