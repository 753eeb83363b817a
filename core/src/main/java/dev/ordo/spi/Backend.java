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
 * <p>What only some platforms can do is a capability of its own, which a backend implements when it can:
 * {@link Staging} (prepare a node before its turn), {@link ReplicaRestarts} (restart one replica for its liveness),
 * {@link Placements} (several places, e.g. engines) and {@link NodeAccess} (addresses, logs, exec).
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
     * Stops the containers of {@code node} — a node's name, or a run step's {@link Launch#key() key} — with their
     * stop signal, then SIGKILL after {@code mode.gracePeriod()} (a zero grace period kills at once), removes them when {@code mode.remove()}, and reports {@link Fact.Stopped} once they
     * have stopped. Exits caused by the stop need not be reported. A backend may finish the removal after that report
     * (so that teardown moves on to the node's dependencies sooner), but a later {@link #observe}, {@link #release}
     * or {@link #start} of the node must see it done. Returns without waiting. A node with nothing to stop is
     * reported stopped at once.
     */
    void stop(Deployment deployment, String node, StopMode mode, NodeEvents events);

    /**
     * The engine no longer listens to the deployment's nodes (an {@code up} ended, a living deployment closed): stop
     * probing and following them, and finish what is still under way for it in the background (a removal), so that
     * a program may exit right after. Their containers keep running, with the platform's restart policies.
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
     * {@link NodeAccess#address}, for code written when it was part of this interface.
     *
     * @deprecated a capability now: use {@code NodeAccess.of(backend, node).address(...)}, or the concrete backend
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default Optional<String> address(Deployment deployment, String node, int port) {
        return this instanceof NodeAccess a ? a.address(deployment, node, port) : Optional.empty();
    }

    /**
     * {@link NodeAccess#logs}, for code written when it was part of this interface.
     *
     * @deprecated a capability now: use {@code NodeAccess.of(backend, node).logs(...)}, or the concrete backend
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default List<String> logs(Deployment deployment, String node) {
        return NodeAccess.of(this, node).logs(deployment, node);
    }

    /**
     * {@link NodeAccess#exec}, for code written when it was part of this interface.
     *
     * @deprecated a capability now: use {@code NodeAccess.of(backend, node).exec(...)}, or the concrete backend
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default ExecResult exec(Deployment deployment, String node, List<String> argv) {
        return NodeAccess.of(this, node).exec(deployment, node, argv);
    }

    /** Releases the backend's own connections and threads. The deployment's containers are left as they are. */
    @Override
    default void close() {
    }
}
