package dev.ordo.docker.internal.containers;

import dev.ordo.OrdoException;
import dev.ordo.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Secret files kept in memory on this machine for the containers of a local engine: each value is written to a
 * file under {@code /dev/shm} (a tmpfs) that only root can reach, with the owner and mode the node asked for, and
 * bind-mounted read-only at its path in the container — as Swarm keeps secrets in memory. So the value is never
 * in the container's writable layer ({@code docker export}, {@code commit} and {@code diff} do not see it) and never
 * crosses the Docker API (so no HTTP wire log at any level can print it). What is true of {@code docker cp}: it
 * reads through the container's mounts, so while the host file exists it returns the value, from a running or an
 * exited container alike — as anyone who may use the engine may read any container's files; the value is not kept
 * anywhere else. The files of a deployment are removed when it is released, by the reaper when a session dies, and
 * at the next prepare for containers removed behind Ordo's back ({@link #sweep}).
 *
 * <pre>{@code
 * Path host = SecretFiles.write("clp", "clp-database-1", 0, ref, value);
 * }</pre>
 */
public final class SecretFiles {
    /** Where the files live: tmpfs on Linux. */
    static final Path ROOT = Path.of("/dev/shm/ordo-secrets");

    private SecretFiles() {
    }

    /** Whether secrets can be kept in memory here for an engine on this machine. */
    static boolean available() {
        Path shm = ROOT.getParent();
        return Files.isDirectory(shm) && Files.isWritable(shm);
    }

    /** Writes {@code value} as secret use number {@code index} of container {@code container}; returns its path. */
    static Path write(String deployment, String container, int index, SecretRef ref, byte[] value) {
        try {
            Path dir = ROOT.resolve(deployment).resolve(container);
            Files.createDirectories(dir);
            for (Path p = dir; p.startsWith(ROOT) && p.getNameCount() >= ROOT.getNameCount(); p = p.getParent()) {
                Files.setPosixFilePermissions(p, EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            }
            Path file = dir.resolve(Integer.toString(index));
            Files.deleteIfExists(file);
            Files.createFile(file);
            Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));
            Files.write(file, value);
            owner(file, ref);
            Files.setPosixFilePermissions(file, permissions(ref.mode()));
            return file;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new OrdoException("cannot keep secret '" + ref.secret() + "' of container '" + container + "' in "
                    + ROOT + " (" + e.getMessage() + "); run Ordo as a user who may write there", e);
        }
    }

    /**
     * Gives the file the owner the node asked for. Only root may give a file away; without an owner asked for, a
     * JVM that is not root leaves it its own.
     */
    private static void owner(Path file, SecretRef ref) throws IOException {
        boolean asked = ref.uid() != 0 || ref.gid() != 0;
        try {
            Files.setAttribute(file, "unix:uid", ref.uid());
            Files.setAttribute(file, "unix:gid", ref.gid());
        } catch (IOException | SecurityException e) {
            if (asked) {
                throw new OrdoException("secret '" + ref.secret() + "' should be owned by " + ref.uid() + ":"
                        + ref.gid() + ", which only root can give a file (" + e.getMessage() + "); run Ordo as root,"
                        + " or drop .owner(...) and make the secret readable with .mode(0444)", e);
            }
        }
    }

    /**
     * Removes the secret files of {@code deployment}'s containers that no longer exist ({@code exists} says, by
     * container name): a container removed behind Ordo's back ({@code docker rm -f}) leaves none behind past the next
     * prepare.
     */
    static void sweep(String deployment, Predicate<String> exists) {
        Path dir = ROOT.resolve(deployment);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> containers = Files.list(dir)) {
            for (Path c : containers.toList()) {
                if (!exists.test(c.getFileName().toString())) {
                    delete(c);
                }
            }
        } catch (IOException ignored) {
            // best effort: tmpfs, gone at the next boot anyway
        }
    }

    /** Removes the secret files of {@code deployment}. */
    public static void release(String deployment) {
        delete(ROOT.resolve(deployment));
    }

    private static void delete(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: tmpfs, gone at the next boot anyway
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
