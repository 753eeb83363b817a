package dev.ordo;

import java.util.Objects;

/**
 * Storage mounted into a node's containers: a named volume of the deployment, a host directory, or tmpfs; with the
 * options Docker gives bind mounts (SELinux relabelling, propagation).
 *
 * <pre>{@code
 * Mount.volume("database-data", "/var/lib/mysql")
 * Mount.bind("/srv/logs", "/var/log/clp").asReadOnly()
 * Mount.bind("./conf", "/etc/app").relabel(Mount.Relabel.PRIVATE)      // Compose's ./conf:/etc/app:Z
 * Mount.tmpfs("/tmp/staging")
 * }</pre>
 *
 * @param type        the kind of storage
 * @param source      the volume name, the host path, or empty for tmpfs
 * @param target      the absolute path inside the container
 * @param readOnly    whether the container may only read it
 * @param relabel     whether Docker relabels a bind mount's host content for SELinux, and how
 * @param propagation a bind mount's propagation; {@link Propagation#DEFAULT} leaves it to the platform
 */
public record Mount(Type type, String source, String target, boolean readOnly, Relabel relabel,
                    Propagation propagation) {
    /** The kinds of storage. */
    public enum Type {
        /**
         * A named volume: created by the backend and prefixed with the deployment's name, unless the deployment
         * declares it otherwise ({@link Volume#external(String)}).
         */
        VOLUME,
        /** A directory of the host (on Kubernetes a {@code hostPath}, with a warning). */
        BIND,
        /** Memory-backed scratch space, empty at every start. */
        TMPFS
    }

    /** SELinux relabelling of a bind mount's host content, Docker's {@code :z} and {@code :Z}. */
    public enum Relabel {
        /** The content keeps its label. */
        NONE,
        /** {@code z}: relabelled so that several containers may share it. */
        SHARED,
        /** {@code Z}: relabelled for this container alone. */
        PRIVATE
    }

    /** Mount propagation of a bind mount, with Linux's names ({@code rprivate}, {@code rslave}, ...). */
    public enum Propagation {
        /** The platform's default (Docker: {@code rprivate}). */
        DEFAULT, PRIVATE, RPRIVATE, SHARED, RSHARED, SLAVE, RSLAVE
    }

    public Mount {
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(source, "source == null");
        Objects.requireNonNull(target, "target == null");
        Objects.requireNonNull(relabel, "relabel == null");
        Objects.requireNonNull(propagation, "propagation == null");
    }

    /** A mount without relabelling or propagation options. */
    public Mount(Type type, String source, String target, boolean readOnly) {
        this(type, source, target, readOnly, Relabel.NONE, Propagation.DEFAULT);
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
        return new Mount(type, source, target, true, relabel, propagation);
    }

    /** This bind mount, relabelled for SELinux as {@code relabel} says. */
    public Mount relabel(Relabel relabel) {
        return new Mount(type, source, target, readOnly, relabel, propagation);
    }

    /** This bind mount, with {@code propagation}. */
    public Mount propagation(Propagation propagation) {
        return new Mount(type, source, target, readOnly, relabel, propagation);
    }

    /** Whether relabelling or propagation is set. */
    public boolean hasOptions() {
        return relabel != Relabel.NONE || propagation != Propagation.DEFAULT;
    }
}
