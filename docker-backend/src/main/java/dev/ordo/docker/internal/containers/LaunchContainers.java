package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import dev.ordo.HealthCheck;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.images.ImageSupply;
import dev.ordo.spi.NodeEvents;
import java.util.List;

/**
 * One launch's containers on the engine, as its run sees them: those staged for it, those of an earlier launch that
 * it keeps or replaces, the ones it makes and starts, and what it asks of each (inspect, restart). What a replica
 * does once it runs is the run's to follow.
 *
 * <pre>{@code
 * LaunchContainers mine = new LaunchContainers(spec, engine, containers, maker, staging, stopper, images);
 * mine.prepare(events);
 * String id = mine.create(1);
 * }</pre>
 */
public final class LaunchContainers {
    private final ContainerSpec spec;
    private final EngineConnection engine;
    private final Containers containers;
    private final ContainerMaker maker;
    private final Staging staging;
    private final Stopper stopper;
    private final ImageSupply images;

    public LaunchContainers(ContainerSpec spec, EngineConnection engine, Containers containers, ContainerMaker maker,
                            Staging staging, Stopper stopper, ImageSupply images) {
        this.spec = spec;
        this.engine = engine;
        this.containers = containers;
        this.maker = maker;
        this.staging = staging;
        this.stopper = stopper;
        this.images = images;
    }

    public ContainerSpec spec() {
        return spec;
    }

    /** The containers staged for this launch, one per replica in order, or none (see {@link Staging#take}). */
    public List<String> staged() {
        return staging.take(spec);
    }

    /** The node's containers as they are now, in any state. */
    public List<Container> existing() {
        return containers.ofNode(spec.deployment(), spec.node(), spec.launch().run());
    }

    /**
     * Removes the containers the new ones replace (a changed definition, a job run again), each stopped first as
     * {@code down} stops it, so that a database shuts down cleanly rather than being killed mid-write (PostgreSQL then
     * needs crash recovery at its next start), and a job's process may end its work.
     */
    public void replace(List<Container> existing) {
        stopper.stopAndRemoveAll(existing, spec.effective().container().stopGracePeriod(),
                "the containers node '" + spec.node() + "' replaces");
    }

    /** Makes sure the replicas' names are free and the image is on the engine (built or pulled). */
    public void prepare(NodeEvents events) {
        maker.checkNameClash(spec);
        images.ensure(spec.launch().key(), spec.node(), spec.image(), spec.effective().container().build(), events);
    }

    /** {@code check} as it is probed: the image's own check read from the image, any other as it is. */
    public HealthCheck probed(HealthCheck check) {
        return images.healthCheck(spec.node(), spec.image(), check);
    }

    /** Creates replica {@code replica}'s container, not started; returns its id. */
    public String create(int replica) {
        return maker.create(spec, replica);
    }

    /** This launch's place in the start gate, held until its starts are done. */
    public StartGate.Pass announce() {
        return maker.announce(spec);
    }

    /** Starts replica {@code replica}'s created container {@code id} when {@code pass} lets it. */
    public void start(StartGate.Pass pass, String id, int replica) {
        maker.start(spec, pass, id, replica);
    }

    /** Removes container {@code id} (made for this launch, but it must not stay). */
    public void remove(String id) {
        containers.remove(id);
    }

    /** The engine's current view of container {@code id}. */
    public InspectContainerResponse inspect(String id) {
        return engine.commands().inspectContainerCmd(id).exec();
    }

    /** Restarts container {@code id}: its stop signal, the node's grace period, then start again. */
    public void restart(String id) {
        engine.commands().restartContainerCmd(id).withTimeout(spec.stopTimeoutSeconds()).exec();
    }
}
