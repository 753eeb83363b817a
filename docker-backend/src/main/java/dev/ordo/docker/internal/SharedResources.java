package dev.ordo.docker.internal;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.spi.Labels;
import java.util.List;
import java.util.Map;

/**
 * What a deployment's nodes share on the engine: its bridge network (nodes reach each other by name) and its named
 * volumes, labelled as the deployment's. A name taken by something Ordo did not create is an error naming it.
 *
 * <pre>{@code
 * new SharedResources(rt).prepare(deployment);
 * }</pre>
 */
final class SharedResources {
    private final DockerRuntime rt;

    SharedResources(DockerRuntime rt) {
        this.rt = rt;
    }

    /** {@code base}, plus the session label when a reaper watches this runtime's session. */
    private Map<String, String> labels(Map<String, String> base) {
        if (rt.session == null) {
            return base;
        }
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(Labels.SESSION, rt.session);
        return m;
    }

    void prepare(Deployment d) {
        var client = rt.client;
        String net = DockerCalls.networkName(d.name());
        List<Network> existing = rt.call("list networks", () -> client.listNetworksCmd().withNameFilter(net).exec());
        Network found = existing.stream().filter(n -> net.equals(n.getName())).findFirst().orElse(null);
        if (found == null) {
            rt.call("create network " + net, () -> client.createNetworkCmd().withName(net).withDriver("bridge")
                    .withCheckDuplicate(true).withLabels(labels(Map.of(Labels.DEPLOYMENT, d.name()))).exec());
        } else if (!d.name().equals(DockerCalls.labels(found.getLabels()).get(Labels.DEPLOYMENT))) {
            throw new OrdoException("deployment '" + d.name() + "' needs Docker network '" + net
                    + "', but a network of that name exists that Ordo did not create for this deployment; remove "
                    + "or rename it (docker network rm " + net + ") or rename the deployment");
        }
        for (String v : d.volumes()) {
            String name = DockerCalls.volumeName(d.name(), v);
            try {
                var inspected = client.inspectVolumeCmd(name).exec();
                if (!d.name().equals(DockerCalls.labels(inspected.getLabels()).get(Labels.DEPLOYMENT))) {
                    throw new OrdoException("deployment '" + d.name() + "' needs Docker volume '" + name
                            + "' for volume '" + v + "', but a volume of that name exists that Ordo did not create "
                            + "for this deployment; remove or rename it, or rename the volume or the deployment");
                }
            } catch (NotFoundException absent) {
                rt.call("create volume " + name, () -> client.createVolumeCmd().withName(name)
                        .withLabels(labels(Map.of(Labels.DEPLOYMENT, d.name(), "dev.ordo.volume", v))).exec());
            }
        }
    }

    void release(Deployment d, boolean removeVolumes) {
        var client = rt.client;
        List<Network> nets = rt.call("list networks", () -> client.listNetworksCmd()
                .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec());
        for (Network n : nets) {
            rt.call("remove network " + n.getName(), () -> {
                try {
                    client.removeNetworkCmd(n.getId()).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
                return null;
            });
        }
        if (removeVolumes) {
            var volumes = rt.call("list volumes", () -> client.listVolumesCmd()
                    .withFilter("label", List.of(Labels.DEPLOYMENT + "=" + d.name())).exec().getVolumes());
            for (var v : volumes == null ? List.<com.github.dockerjava.api.command.InspectVolumeResponse>of()
                    : volumes) {
                rt.call("remove volume " + v.getName(), () -> {
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
}
