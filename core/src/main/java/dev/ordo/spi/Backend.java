package dev.ordo.spi;

import dev.ordo.Deployment;
import java.util.List;
import java.util.Optional;

/**
 * The narrow interface a platform implements so that the core engine can run plans on it. Core decides; a backend
 * carries out and reports {@link Fact facts}. Whether a node is ready, unhealthy, crashed, restarted or timed out,
 * whether to keep or recreate it, when to retry a job and when to kill one past its deadline: all of that is core's,
 * the same on every backend, and pinned by the backend contract test ({@code dev.ordo.tck.BackendContract} in the
 * {@code ordo-test} artifact) that every backend passes.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start} and {@link #stop} return quickly and report later, from any thread, through the given
 *       {@link NodeEvents}. Facts of one node arrive in order.</li>
 *   <li>Every resource a backend creates carries the {@link Labels}; a backend never touches a resource without
 *       them, and reports a clash with a foreign resource as {@link Fact.Refused}.</li>
 *   <li>{@link #start} does what {@link Launch#mode()} says; it runs one attempt (a job's retries are new launches
 *       from core) and applies a service's restart policy the platform's own way, reporting every exit and every
 *       start.</li>
 *   <li>While attached (from {@link #start} until {@link #detach} or {@link #stop}), a backend reports each replica's
 *       starts, exits, output and, per {@link Launch#probes()}, its probe results.</li>
 *   <li>When the platform itself stops answering, a backend reports {@link Fact.Unreachable} once, within a bound
 *       it documents, and never blames a node for it.</li>
 * </ul>
 *
 * <pre>{@code
 * RunReport report = Orchestrator.using(DockerBackend.local()).up(deployment.plan());
 * }</pre>
 */
public interface Backend extends AutoCloseable {
    /** A short name for messages and reports, e.g. {@code docker}, {@code kubernetes}, {@code simulated}. */
    String name();

    /** The time the engine runs on; real backends use {@link TimeSource#system()}. */
    default TimeSource time() {
        return TimeSource.system();
    }

    /** How the platform delays the restart of an exited service process (see {@link RestartBackoff}). */
    default RestartBackoff restartBackoff() {
        return RestartBackoff.DOCKER;
    }

    /**
     * Creates what the deployment's nodes share (network, named volumes, secrets), reusing what exists with the
     * deployment's labels. Blocks until done.
     *
     * @throws dev.ordo.OrdoException naming the resource and the fix when the platform refuses
     */
    void prepare(Deployment deployment);

    /**
     * Runs (or keeps, per {@link Launch#mode()}) every replica of {@code launch.node()} and reports what follows:
     * {@link Fact.Started} per replica, {@link Fact.Probed} per the schedule, {@link Fact.Output}, {@link Fact.Exited},
     * or {@link Fact.Refused} when it cannot run the node at all. Returns without waiting.
     */
    void start(Launch launch, NodeEvents events);

    /**
     * Core will start {@code launch} once its dependencies' conditions hold, which may take a while: a backend may
     * prepare it now (e.g. create its containers without starting them), so that only the start remains later.
     * Nothing may run early: a staged node's process must not start before {@link #start}. Core stages a node when
     * every node it depends on has been asked to start, only with {@link Launch.Mode#CREATE} and attempt 1, and
     * either starts the same launch later or {@link #unstage unstages} it (its dependency failed, the run ended).
     * The default does nothing. Returns without waiting; a staging that fails is forgotten, and {@link #start}
     * reports what is wrong.
     */
    default void stage(Launch launch) {
    }

    /**
     * Core will not start the node {@code launch} staged: remove what {@link #stage} prepared for it. Returns
     * without waiting, but a later {@link #observe}, {@link #release} or {@link #start} must see it gone.
     */
    default void unstage(Launch launch) {
    }

    /**
     * Kills replica {@code replica} (from 1) of {@code node} and starts it again, whatever its restart policy, and
     * reports the exit and the start as facts: core asks for it when the replica failed its liveness check as often
     * as the check allows. Returns without waiting. Only a backend that reports {@link Fact.Liveness} is asked; the
     * default refuses.
     */
    default void restart(Deployment deployment, String node, int replica) {
        throw new UnsupportedOperationException(name() + " does not restart single replicas; it must not report"
                + " liveness probes");
    }

    /**
     * Stops the containers of {@code node} — a node's name, or a run step's {@link Launch#key() key} — with their
     * stop signal, then SIGKILL after {@code mode.gracePeriod()} (a zero grace period kills at once), removes them when {@code mode.remove()}, and reports {@link Fact.Stopped} once they
     * have stopped. Exits caused by the stop need not be reported. A backend may finish the removal after that report
     * (so that teardown moves on to the node's dependencies sooner), but a later {@link #observe}, {@link #release}
     * or {@link #start} of the node must see it done. Returns without waiting. A node with nothing to stop is
     * reported stopped at once.
     */
    void stop(Deployment deployment, String node, StopMode mode, NodeEvents events);

    /**
     * The engine no longer listens to the deployment's nodes (an {@code up} ended): stop probing and following
     * them. Their containers keep running, with the platform's restart policies.
     */
    default void detach(Deployment deployment) {
    }

    /**
     * Removes what {@link #prepare} created; named volumes only when {@code removeVolumes}. Blocks until done.
     * Called after every node of the deployment is removed.
     */
    void release(Deployment deployment, boolean removeVolumes);

    /**
     * What exists now of the deployment, one entry per node that has any container (or pod, or job) with the
     * deployment's labels, including nodes no longer in {@code deployment}; the containers of a triggered run's step
     * are one entry named by its {@link Launch#key() key}. Blocks until known. The configuration
     * hash reported is the one this backend would run the node with, so that core keeps exactly what it may keep.
     */
    List<ObservedNode> observe(Deployment deployment);

    /**
     * Where {@code node} of {@code deployment} runs, when this backend runs a deployment in several places (e.g.
     * the name of a Docker engine); shown in run reports and status. Empty, the default, when there is one place.
     */
    default Optional<String> placement(Deployment deployment, String node) {
        return Optional.empty();
    }

    /**
     * Where this process reaches container port {@code port} of {@code node}'s first replica, as {@code host:port}:
     * the port as published on the platform's host. Empty when the node does not publish that port, or the backend
     * has no such notion (the simulated backend).
     */
    default Optional<String> address(Deployment deployment, String node, int port) {
        return Optional.empty();
    }

    /**
     * What {@code node}'s first replica printed so far, stdout and stderr in the order printed.
     *
     * @throws UnsupportedOperationException when the backend cannot show logs
     * @throws dev.ordo.OrdoException naming the node when it has no container
     */
    default List<String> logs(Deployment deployment, String node) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot show the logs of node '" + node
                + "'; use a backend that runs containers (Docker)");
    }

    /**
     * Runs {@code argv} in {@code node}'s first running replica, waits for it, and returns its exit code and output.
     *
     * @throws UnsupportedOperationException when the backend cannot run commands in a node
     * @throws dev.ordo.OrdoException naming the node when it has no running container
     */
    default ExecResult exec(Deployment deployment, String node, List<String> argv) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot run commands in node '" + node
                + "'; use a backend that runs containers (Docker)");
    }

    /** Releases the backend's own connections and threads. The deployment's containers are left as they are. */
    @Override
    default void close() {
    }
}
