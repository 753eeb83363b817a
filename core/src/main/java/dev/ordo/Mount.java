package dev.ordo;

import java.util.Objects;

/**
 * Storage mounted into a node's containers: a named volume owned by the deployment, a host directory, or tmpfs.
 *
 * <pre>{@code
 * Mount.volume("database-data", "/var/lib/mysql")
 * Mount.bind("/srv/logs", "/var/log/clp").asReadOnly()
 * Mount.tmpfs("/tmp/staging")
 * }</pre>
 *
 * @param type     the kind of storage
 * @param source   the volume name, the host path, or empty for tmpfs
 * @param target   the absolute path inside the container
 * @param readOnly whether the container may only read it
 */
public record Mount(Type type, String source, String target, boolean readOnly) {
    /** The kinds of storage. */
    public enum Type {
        /** A named volume, created by the backend and prefixed with the deployment's name. */
        VOLUME,
        /** A directory of the host (on Kubernetes a {@code hostPath}, with a warning). */
        BIND,
        /** Memory-backed scratch space, empty at every start. */
        TMPFS
    }

    public Mount {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(target, "target == null");
    }

    /** A named volume of the deployment mounted at {@code target}. */
    public static Mount volume(String name, String target) {
        return new Mount(Type.VOLUME, name, target, false);
    }

    /** A host directory mounted at {@code target}. */
    public static Mount bind(String hostPath, String target) {
        return new Mount(Type.BIND, hostPath, target, false);
    }

    /** A tmpfs mounted at {@code target}. */
    public static Mount tmpfs(String target) {
        return new Mount(Type.TMPFS, "", target, false);
    }

    /** This mount, read-only. */
    public Mount asReadOnly() {
        return new Mount(type, source, target, true);
    }
}
