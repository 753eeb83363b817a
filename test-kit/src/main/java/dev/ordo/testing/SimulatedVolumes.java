package dev.ordo.testing;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Volume;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated platform's named volumes, by their platform names, each with the deployment that created it (or
 * none for one made outside Ordo): a deployment's own volumes are created at prepare and removed with
 * {@code removeVolumes}; an external one must exist and is never removed, as on Docker.
 */
final class SimulatedVolumes {
    private static final String OUTSIDE = "";
    private final Map<String, String> owners = new TreeMap<>();

    /** Creates {@code name} outside any deployment, as a user's {@code docker volume create} would. */
    void createOutside(String name) {
        owners.putIfAbsent(name, OUTSIDE);
    }

    boolean exists(String platformName) {
        return owners.containsKey(platformName);
    }

    boolean exists(Deployment deployment, String volume) {
        return exists(deployment.volume(volume).platformName(deployment.name()));
    }

    /** Creates the deployment's missing volumes; an external one that is missing is an error naming it. */
    void prepare(Deployment d) {
        for (String v : d.volumes()) {
            Volume def = d.volume(v);
            String name = def.platformName(d.name());
            if (def.external() && !owners.containsKey(name)) {
                throw new OrdoException("deployment '" + d.name() + "': volume '" + v + "' is external, and the"
                        + " simulated platform has no volume '" + name + "'; create it first"
                        + " (SimulatedBackend.externalVolume(\"" + name + "\")), or let Ordo own it");
            }
            if (!def.external()) {
                owners.putIfAbsent(name, d.name());
            }
        }
    }

    /** Removes the volumes {@code d} created; external ones and others' stay. */
    void removeOwnedBy(Deployment d) {
        owners.values().removeIf(d.name()::equals);
    }
}
