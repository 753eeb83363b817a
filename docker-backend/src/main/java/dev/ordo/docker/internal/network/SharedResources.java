package dev.ordo.docker.internal.network;

import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Volume;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.ResourceLabels;
import dev.ordo.spi.Labels;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What a deployment's nodes share on the engine: its networks ({@link DeploymentNetworks}) and its named volumes.
 * A volume the deployment owns is created when missing, labelled as the deployment's, and removed with
 * {@code removeVolumes}; one declared under a name of its own ({@link Volume#named}) is used as it is when it exists,
 * as Compose does, and removed only if Ordo created it for this deployment; an external one must exist and is never
 * created nor removed. A derived name taken by something Ordo did not create is an error naming it.
 *
 * <pre>{@code
 * new SharedResources(engine, networks, ResourceLabels.UNWATCHED).prepare(deployment, node -> true);
 * }</pre>
 */
public final class SharedResources {
    private final EngineConnection engine;
    private final DeploymentNetworks networks;
    private final ResourceLabels stamp;

    public SharedResources(EngineConnection engine, DeploymentNetworks networks, ResourceLabels stamp) {
        this.engine = engine;
        this.networks = networks;
        this.stamp = stamp;
    }

    /**
     * Prepares {@code d}'s networks, and the volumes of the nodes that run {@code here} (this engine). What exists
     * outside Ordo is checked before anything is created: a refused deployment leaves nothing behind.
     */
    public void prepare(Deployment d, Predicate<Node> here) {
        networks.requireExternal(d);
        Set<String> volumes = volumesOf(d, here);
        for (String v : volumes) {
            String name = d.volume(v).platformName(d.name());
            if (d.volume(v).external() && inspect(name) == null) {
                throw new OrdoException("deployment '" + d.name() + "': volume '" + v + "' is external, and "
                        + engine.name() + " has no volume '" + name + "'; create it (docker volume create " + name
                        + "), or drop external so that Ordo creates it");
            }
        }
        networks.prepare(d, stamp.on(Map.of(Labels.DEPLOYMENT, d.name())));
        for (String v : volumes) {
            Volume def = d.volume(v);
            if (def.external()) {
                continue;
            }
            String name = def.platformName(d.name());
            InspectVolumeResponse found = inspect(name);
            if (found == null) {
                engine.call("create volume " + name, () -> engine.commands().createVolumeCmd().withName(name)
                        .withLabels(stamp.on(Map.of(Labels.DEPLOYMENT, d.name(), "dev.ordo.volume", v))).exec());
            } else if (def.platformName().isEmpty()
                    && !d.name().equals(ResourceLabels.read(found.getLabels()).get(Labels.DEPLOYMENT))) {
                throw new OrdoException("deployment '" + d.name() + "' needs Docker volume '" + name
                        + "' for volume '" + v + "', but a volume of that name exists that Ordo did not create "
                        + "for this deployment; remove or rename it, declare it external (Volume.external(\"" + name
                        + "\")) to use it as it is, or rename the volume or the deployment");
            }
        }
    }

    private InspectVolumeResponse inspect(String name) {
        return engine.call("inspect volume " + name, () -> {
            try {
                return engine.commands().inspectVolumeCmd(name).exec();
            } catch (NotFoundException absent) {
                return null;
            }
        });
    }

    /** The named volumes the nodes placed here mount. */
    private static Set<String> volumesOf(Deployment d, Predicate<Node> here) {
        return d.nodes().stream().filter(here).flatMap(n -> n.container().mounts().stream())
                .filter(m -> m.type() == Mount.Type.VOLUME).map(Mount::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Removes {@code d}'s networks, and its volumes when {@code removeVolumes}; never an external one. */
    public void release(Deployment d, boolean removeVolumes) {
        networks.release(d);
        if (!removeVolumes) {
            return;
        }
        var client = engine.commands();
        // never an external volume, even one that happens to carry the deployment's label
        Set<String> external = d.volumeDefinitions().values().stream().filter(Volume::external)
                .map(v -> v.platformName(d.name())).collect(Collectors.toSet());
        var volumes = engine.call("list volumes", () -> client.listVolumesCmd()
                .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec().getVolumes());
        for (var v : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            if (external.contains(v.getName())) {
                continue;
            }
            engine.call("remove volume " + v.getName(), () -> {
                try {
                    client.removeVolumeCmd(v.getName()).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
                return null;
            });
        }
    }
}
