package dev.ordo;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the platform holds a named volume that nodes mount ({@link Mount#volume}). A volume the deployment does not
 * declare is its own: created by the backend as {@code <deployment>-<volume>}, kept by {@code down} and removed by
 * {@code down} with {@code removeVolumes}. Declare it to change that:
 *
 * <pre>{@code
 * Deployment.builder("shop")
 *     .volume(Volume.external("pgdata"))                  // exists already: used, never created nor removed
 *     .volume(Volume.of("cache").named("shared-cache"))   // created when missing, under exactly that name
 *     .volume(Volume.of("scratch").driver("local", Map.of("type", "tmpfs", "device", "tmpfs")))
 *     .volume(Volume.of("uploads").readWriteMany())     // mounted by pods on several cluster nodes at once
 *     .service("db", s -> s.image("postgres:16").volume("pgdata", "/var/lib/postgresql/data"))
 * }</pre>
 *
 * <p>An external volume that does not exist is an error naming it when the deployment is prepared, on every
 * backend; on Kubernetes an external volume is an existing PersistentVolumeClaim of that name.
 *
 * @param name         the name nodes mount it by
 * @param external     whether it exists outside the deployment: never created nor removed by Ordo
 * @param platformName  its name on the platform; empty: {@code <deployment>-<name>} (or {@code name} when external)
 * @param driver        the Docker volume driver; empty: the engine's default ({@code local})
 * @param driverOptions the driver's options, as Compose's {@code driver_opts} (e.g. {@code type: tmpfs})
 * @param manyNodes     whether pods on several cluster nodes may mount it at once (Kubernetes' access mode
 *                      {@code ReadWriteMany}, which needs a StorageClass that offers it); otherwise
 *                      {@code ReadWriteOnce}. A Docker volume lives on one engine either way.
 */
public record Volume(String name, boolean external, String platformName, String driver,
                     Map<String, String> driverOptions, boolean manyNodes) {
    public Volume {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(platformName, "platformName == null");
        Objects.requireNonNull(driver, "driver == null");
        driverOptions = Collections.unmodifiableMap(new TreeMap<>(driverOptions));
    }

    /** A volume with the engine's default driver, mounted from one cluster node at a time. */
    public Volume(String name, boolean external, String platformName) {
        this(name, external, platformName, "", Map.of(), false);
    }

    /** The deployment's own volume {@code name}, as if undeclared. */
    public static Volume of(String name) {
        return new Volume(name, false, "");
    }

    /** A volume that exists outside the deployment under {@code name}. */
    public static Volume external(String name) {
        return new Volume(name, true, "");
    }

    /** This volume, under {@code platformName} on the platform instead of the derived name. */
    public Volume named(String platformName) {
        return new Volume(name, external, platformName, driver, driverOptions, manyNodes);
    }

    /**
     * This volume, created by Docker's volume driver {@code driver} with {@code options} (Compose's {@code driver}
     * and {@code driver_opts}); Kubernetes has no volume drivers and refuses a volume that sets them.
     */
    public Volume driver(String driver, Map<String, String> options) {
        return new Volume(name, external, platformName, driver, options, manyNodes);
    }

    /**
     * This volume, mountable by pods on several cluster nodes at once: on Kubernetes its claim asks for
     * {@code ReadWriteMany} (a StorageClass must offer it, e.g. NFS or CephFS), where the default
     * {@code ReadWriteOnce} lets only one cluster node mount it and pods elsewhere fail with a Multi-Attach error.
     * Docker and the simulated backend ignore it; Compose carries it as {@code x-ordo: {access: ReadWriteMany}}.
     */
    public Volume readWriteMany() {
        return new Volume(name, external, platformName, driver, driverOptions, true);
    }

    /** Whether a driver or driver options are set. */
    public boolean hasDriver() {
        return !driver.isEmpty() || !driverOptions.isEmpty();
    }

    /** Its name on the platform for deployment {@code deployment}. */
    public String platformName(String deployment) {
        if (!platformName.isEmpty()) {
            return platformName;
        }
        return external ? name : deployment + "-" + name;
    }
}
