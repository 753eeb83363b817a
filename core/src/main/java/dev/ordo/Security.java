package dev.ordo;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Who a node's process runs as and what it may write: the user and group (ids, or names as Docker takes them),
 * whether it must not run as root, and whether the container's root filesystem is read-only. {@code build()}
 * rejects ids out of range and user 0 (or {@code root}) with {@link #runAsNonRoot()}.
 *
 * <p>Kubernetes puts them in the container's security context, and its kubelet refuses to start an image that would
 * run as root when non-root is required; it takes numeric ids only, so a user name is refused there (except
 * {@code root}, which is 0). Docker runs the process as {@code --user} with {@code --read-only}; it resolves names
 * in the image's {@code /etc/passwd}, and Ordo refuses the images the kubelet would (root, or a user name it cannot
 * check) for a non-root node, naming the node and the fix.
 *
 * <pre>{@code
 * .service("webui", s -> s.image("clp-package:main")
 *     .security(Security.none().user(1000).group(1000).nonRoot().readOnlyRoot()))
 * .service("cache", s -> s.image("redis:7").security(Security.none().user("redis:redis")))
 * }</pre>
 *
 * @param runAsUser              the user id the process runs as; empty: the image's user (or {@code userName})
 * @param runAsGroup             the group id the process runs as; empty: the image's (or the user's) group
 * @param runAsNonRoot           whether the node must not run as root (user 0)
 * @param readOnlyRootFilesystem whether the container's root filesystem is read-only (volumes and tmpfs stay
 *                               writable)
 * @param userName               {@code user[:group]} with at least one name in it, as Docker's {@code --user} takes
 *                               it; empty when the ids say who
 * @param hardened               no privilege escalation, no capabilities, the default seccomp profile
 *                               ({@link #harden()})
 */
public record Security(OptionalLong runAsUser, OptionalLong runAsGroup, boolean runAsNonRoot,
                       boolean readOnlyRootFilesystem, String userName, boolean hardened) {
    private static final Security NONE = new Security(OptionalLong.empty(), OptionalLong.empty(), false, false, "",
            false);

    /** The largest user or group id both platforms accept (Kubernetes' int32, Linux's id range). */
    public static final long MAX_ID = Integer.MAX_VALUE;

    public Security {
        Objects.requireNonNull(runAsUser, "runAsUser == null");
        Objects.requireNonNull(runAsGroup, "runAsGroup == null");
        Objects.requireNonNull(userName, "userName == null");
    }

    /** A context that is not {@link #harden() hardened}. */
    public Security(OptionalLong runAsUser, OptionalLong runAsGroup, boolean runAsNonRoot,
                    boolean readOnlyRootFilesystem, String userName) {
        this(runAsUser, runAsGroup, runAsNonRoot, readOnlyRootFilesystem, userName, false);
    }

    /** A context given by ids alone. */
    public Security(OptionalLong runAsUser, OptionalLong runAsGroup, boolean runAsNonRoot,
                    boolean readOnlyRootFilesystem) {
        this(runAsUser, runAsGroup, runAsNonRoot, readOnlyRootFilesystem, "");
    }

    /** The image's user, a writable root filesystem: what a node has unless told otherwise. */
    public static Security none() {
        return NONE;
    }

    /** This context, running as user id {@code uid}. */
    public Security user(long uid) {
        return new Security(OptionalLong.of(uid), runAsGroup, runAsNonRoot, readOnlyRootFilesystem, "", hardened);
    }

    /**
     * This context, running as {@code spec}: {@code user}, {@code user:group}, each a name or an id, as Compose's
     * {@code user:} and Docker's {@code --user} take it ({@code "1000:0"}, {@code "redis:redis"}, {@code "root"}).
     * Ids alone are the same as {@link #user(long)} and {@link #group(long)}.
     */
    public Security user(String spec) {
        Objects.requireNonNull(spec, "spec == null");
        if (spec.matches("[0-9]{1,18}(:[0-9]{1,18})?")) {
            String[] ids = spec.split(":");
            return new Security(OptionalLong.of(Long.parseLong(ids[0])), ids.length == 2
                    ? OptionalLong.of(Long.parseLong(ids[1])) : OptionalLong.empty(), runAsNonRoot,
                    readOnlyRootFilesystem, "", hardened);
        }
        return new Security(OptionalLong.empty(), OptionalLong.empty(), runAsNonRoot, readOnlyRootFilesystem, spec,
                hardened);
    }

    /** This context, running with group id {@code gid}. */
    public Security group(long gid) {
        return new Security(runAsUser, OptionalLong.of(gid), runAsNonRoot, readOnlyRootFilesystem, userName, hardened);
    }

    /** This context, refusing to run the node as root. */
    public Security nonRoot() {
        return new Security(runAsUser, runAsGroup, true, readOnlyRootFilesystem, userName, hardened);
    }

    /** This context, with a read-only root filesystem. */
    public Security readOnlyRoot() {
        return new Security(runAsUser, runAsGroup, runAsNonRoot, true, userName, hardened);
    }

    /**
     * This context, hardened as Kubernetes' Pod Security {@code restricted} level asks: no privilege escalation
     * (setuid binaries gain nothing), every Linux capability dropped, the runtime's default seccomp profile. Docker
     * runs it with {@code --security-opt no-new-privileges --cap-drop ALL} (its default seccomp profile applies
     * unless disabled); Kubernetes puts {@code allowPrivilegeEscalation: false}, {@code capabilities.drop: [ALL]}
     * and {@code seccompProfile: RuntimeDefault} into the container's security context.
     */
    public Security harden() {
        return new Security(runAsUser, runAsGroup, runAsNonRoot, readOnlyRootFilesystem, userName, true);
    }

    /**
     * What a namespace under Pod Security {@code restricted} admits: {@link #nonRoot()} and {@link #harden()}.
     * The image must then run as a numeric non-root user, or the node names one with {@link #user(long)}.
     *
     * <pre>{@code
     * .service("webui", s -> s.image("clp-package:main").security(Security.restricted().user(1000)))
     * }</pre>
     */
    public static Security restricted() {
        return NONE.nonRoot().harden();
    }

    /** Whether a user (by id or name) is set. */
    public boolean hasUser() {
        return runAsUser.isPresent() || runAsGroup.isPresent() || !userName.isEmpty();
    }

    /** The user as Docker's {@code --user} takes it ({@code uid[:gid]} or the names), or empty when none is set. */
    public String dockerUser() {
        if (!userName.isEmpty()) {
            // a name without a group part takes the group id given with group(long)
            return userName.contains(":") || runAsGroup.isEmpty() ? userName : userName + ":" + runAsGroup.getAsLong();
        }
        if (runAsUser.isEmpty() && runAsGroup.isEmpty()) {
            return "";
        }
        return (runAsUser.isPresent() ? Long.toString(runAsUser.getAsLong()) : "0")
                + (runAsGroup.isPresent() ? ":" + runAsGroup.getAsLong() : "");
    }

    /**
     * Whether the user is given by a name other than {@code root} (which is 0 everywhere), that only the image's
     * {@code /etc/passwd} resolves; Kubernetes, which takes ids, cannot run such a node.
     */
    public boolean namesUser() {
        if (userName.isEmpty()) {
            return false;
        }
        for (String part : userName.split(":", 2)) {
            if (!"root".equals(part) && !part.matches("[0-9]{1,18}")) {
                return true;
            }
        }
        return false;
    }

    /** The user id, from the ids or from {@code root} / digits in {@code userName}; empty when a name says who. */
    public OptionalLong numericUser() {
        return userName.isEmpty() ? runAsUser : id(userName.split(":", 2)[0]);
    }

    /** The group id, from the ids or from {@code userName}'s group part; empty when none or a name. */
    public OptionalLong numericGroup() {
        if (userName.isEmpty()) {
            return runAsGroup;
        }
        String[] parts = userName.split(":", 2);
        return parts.length == 2 ? id(parts[1]) : runAsGroup;
    }

    private static OptionalLong id(String part) {
        if ("root".equals(part)) {
            return OptionalLong.of(0);
        }
        return part.matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(part)) : OptionalLong.empty();
    }

    /** Whether nothing is set. */
    public boolean isNone() {
        return equals(NONE);
    }
}
