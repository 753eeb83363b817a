package dev.ordo;

import java.util.OptionalLong;

/**
 * Who a node's process runs as and what it may write: the user and group ids, whether it must not run as root, and
 * whether the container's root filesystem is read-only. {@code build()} rejects ids out of range and user 0 with
 * {@link #runAsNonRoot()}.
 *
 * <p>Kubernetes puts them in the container's security context, and its kubelet refuses to start an image that would
 * run as root when non-root is required. Docker runs the process as {@code --user uid[:gid]} with
 * {@code --read-only}, and Ordo refuses the same images the kubelet would (root, or a user name it cannot check),
 * naming the node and the fix.
 *
 * <pre>{@code
 * .service("webui", s -> s.image("clp-package:main")
 *     .security(Security.none().user(1000).group(1000).nonRoot().readOnlyRoot()))
 * }</pre>
 *
 * @param runAsUser              the user id the process runs as; empty: the image's user
 * @param runAsGroup             the group id the process runs as; empty: the image's (or the user's) group
 * @param runAsNonRoot           whether the node must not run as root (user 0)
 * @param readOnlyRootFilesystem whether the container's root filesystem is read-only (volumes and tmpfs stay
 *                               writable)
 */
public record Security(OptionalLong runAsUser, OptionalLong runAsGroup, boolean runAsNonRoot,
                       boolean readOnlyRootFilesystem) {
    private static final Security NONE = new Security(OptionalLong.empty(), OptionalLong.empty(), false, false);

    /** The largest user or group id both platforms accept (Kubernetes' int32, Linux's id range). */
    public static final long MAX_ID = Integer.MAX_VALUE;

    public Security {
        java.util.Objects.requireNonNull(runAsUser, "runAsUser == null");
        java.util.Objects.requireNonNull(runAsGroup, "runAsGroup == null");
    }

    /** The image's user, a writable root filesystem: what a node has unless told otherwise. */
    public static Security none() {
        return NONE;
    }

    /** This context, running as user id {@code uid}. */
    public Security user(long uid) {
        return new Security(OptionalLong.of(uid), runAsGroup, runAsNonRoot, readOnlyRootFilesystem);
    }

    /** This context, running with group id {@code gid}. */
    public Security group(long gid) {
        return new Security(runAsUser, OptionalLong.of(gid), runAsNonRoot, readOnlyRootFilesystem);
    }

    /** This context, refusing to run the node as root. */
    public Security nonRoot() {
        return new Security(runAsUser, runAsGroup, true, readOnlyRootFilesystem);
    }

    /** This context, with a read-only root filesystem. */
    public Security readOnlyRoot() {
        return new Security(runAsUser, runAsGroup, runAsNonRoot, true);
    }

    /** Whether nothing is set. */
    public boolean isNone() {
        return equals(NONE);
    }
}
