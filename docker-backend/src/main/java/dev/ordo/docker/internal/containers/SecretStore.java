package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.SecretRef;
import dev.ordo.docker.internal.engine.EngineConnection;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one engine's containers get their secret files: kept in memory on this machine and bind-mounted
 * ({@link SecretFiles}) when the engine runs here, else copied into the container before it starts (said once, as a
 * warning, since the copy sits in the container's writable layer).
 *
 * <pre>{@code
 * SecretStore secrets = new SecretStore(engine);
 * if (secrets.inMemory()) { Path host = secrets.write("shop", "shop-db-1", 0, ref, value); }
 * }</pre>
 */
public final class SecretStore {
    private static final Logger LOG = LoggerFactory.getLogger(SecretStore.class);
    private final EngineConnection engine;
    private volatile boolean warnedCopied;

    public SecretStore(EngineConnection engine) {
        this.engine = engine;
    }

    /** Whether secret files are kept in memory here and bind-mounted, rather than copied into the container. */
    boolean inMemory() {
        if (engine.hostReachesContainers() && SecretFiles.available()) {
            return true;
        }
        if (!warnedCopied) {
            warnedCopied = true;
            LOG.warn("{} is not on this machine (or /dev/shm is not writable): secret files are copied into the"
                    + " containers, where they sit in the writable layer and docker cp/export can read them",
                    engine.name());
        }
        return false;
    }

    /** Keeps {@code value} in memory as secret use number {@code index} of {@code container}; returns its path. */
    Path write(String deployment, String container, int index, SecretRef ref, byte[] value) {
        return SecretFiles.write(deployment, container, index, ref, value);
    }

    /** Removes the files kept for containers of {@code deployment} that were removed behind Ordo's back. */
    public void sweep(String deployment) {
        if (!engine.hostReachesContainers()) {
            return;
        }
        SecretFiles.sweep(deployment, container -> {
            try {
                engine.commands().inspectContainerCmd(container).exec();
                return true;
            } catch (NotFoundException gone) {
                return false;
            }
        });
    }

    /** Removes the files kept for {@code deployment}'s containers. */
    public void release(String deployment) {
        if (engine.hostReachesContainers()) {
            SecretFiles.release(deployment);
        }
    }
}
