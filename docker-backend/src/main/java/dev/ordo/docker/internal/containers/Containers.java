package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EventHub;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.spi.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ordo's containers on one engine, found by their labels, in any state; and their removal, which forgets their
 * events first. Ordo never touches a container without its labels.
 *
 * <pre>{@code
 * Containers containers = new Containers(engine, hub);
 * containers.ofNode("shop", "db", Optional.empty()).forEach(c -> containers.remove(c.getId()));
 * }</pre>
 */
public final class Containers {
    /** The engine's status for a removal that is already under way. */
    private static final int REMOVAL_IN_PROGRESS = 409;

    private final EngineConnection engine;
    private final EventHub hub;

    public Containers(EngineConnection engine, EventHub hub) {
        this.engine = engine;
        this.hub = hub;
    }

    /** Ordo's containers of a deployment, in any state. */
    public List<Container> of(String deployment) {
        return engine.call("list containers", () -> engine.commands().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(Labels.DEPLOYMENT + "=" + deployment)).exec());
    }

    /** The containers of {@code node} (of triggered run {@code run}, or of no run) in any state. */
    public List<Container> ofNode(String deployment, String node, Optional<String> run) {
        List<String> filter = new ArrayList<>(List.of(Labels.DEPLOYMENT + "=" + deployment, Labels.NODE + "=" + node));
        run.ifPresent(r -> filter.add(Labels.RUN + "=" + r));
        List<Container> all = engine.commands().listContainersCmd().withShowAll(true).withLabelFilter(filter).exec();
        return run.isPresent() ? all : all.stream()
                .filter(c -> !ResourceLabels.read(c.getLabels()).containsKey(Labels.RUN)).toList();
    }

    /** When container {@code id} last started, as the engine says; empty when it is gone or never started. */
    public Optional<Instant> startedAt(String id) {
        try {
            String at = engine.commands().inspectContainerCmd(id).exec().getState().getStartedAt();
            return at == null || at.startsWith("0001-") ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (NotFoundException gone) {
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Removes a container with its anonymous volumes, running or not; one already gone or going is no error. */
    public void remove(String id) {
        hub.forget(id);
        try {
            engine.commands().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // already gone
        } catch (DockerException e) {
            if (e.getHttpStatus() != REMOVAL_IN_PROGRESS) {
                throw e;
            }
        }
    }
}
