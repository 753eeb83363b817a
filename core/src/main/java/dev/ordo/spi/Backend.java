package dev.ordo.spi;

import dev.ordo.Deployment;
import java.util.List;

/**
 * The narrow interface a platform implements so that the core engine can run plans on it. The engine decides what
 * to start and when; a backend only does what it is told and reports what it observes through {@link NodeEvents}.
 * All scheduling, pools, failure propagation and ordering stay in the engine.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start} and {@link #stop} return quickly and report later, from any thread, through the given
 *       {@link NodeEvents}. Events for one node arrive in order.</li>
 *   <li>Every resource a backend creates carries the {@link Labels}; a backend never touches a resource without
 *       them, and reports a clash with a foreign resource as {@link NodeEvents#failed}.</li>
 *   <li>{@link #start} recreates a node whose existing containers carry a different configuration hash (or when
 *       {@link Launch#recreate()} is set); it keeps running containers with the same hash and reports them with
 *       {@code reused = true}.</li>
 *   <li>A job's retries (its backoff limit) are the backend's to run: {@link NodeEvents#exited} reports the final
 *       outcome only.</li>
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

    /**
     * Creates what the deployment's nodes share (network, named volumes, secrets), reusing what exists with the
     * deployment's labels. Blocks until done.
     *
     * @throws dev.ordo.OrdoException naming the resource and the fix when the platform refuses
     */
    void prepare(Deployment deployment);

    /**
     * Starts (or keeps, see the class contract) every replica of {@code launch.node()} and reports, in order,
     * {@link NodeEvents#started}, then for a service with a health check {@link NodeEvents#healthy} or
     * {@link NodeEvents#unhealthy}, and for a job {@link NodeEvents#exited}. Returns without waiting.
     */
    void start(Launch launch, NodeEvents events);

    /**
     * Stops the named node's containers (honouring {@code mode.gracePeriod()}), removes them when
     * {@code mode.remove()}, and reports {@link NodeEvents#stopped} once they have stopped. A backend may finish the
     * removal after that report (so that teardown moves on to the node's dependencies sooner), but a later
     * {@link #observe}, {@link #release} or {@link #start} of the node must see it done. Returns without waiting. A node with nothing
     * to stop is reported stopped at once.
     */
    void stop(Deployment deployment, String node, StopMode mode, NodeEvents events);

    /**
     * Removes what {@link #prepare} created; named volumes only when {@code removeVolumes}. Blocks until done.
     * Called after every node of the deployment is removed.
     */
    void release(Deployment deployment, boolean removeVolumes);

    /**
     * What exists now of the deployment, one entry per node that has any container (or pod, or job) with the
     * deployment's labels, including nodes no longer in {@code deployment}. Blocks until known.
     */
    List<ObservedNode> observe(Deployment deployment);

    /** Releases the backend's own connections and threads. The deployment's containers are left as they are. */
    @Override
    default void close() {
    }
}
