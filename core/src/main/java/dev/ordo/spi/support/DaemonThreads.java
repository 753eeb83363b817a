package dev.ordo.spi.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the backends' worker pools. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /**
     * Daemon threads named {@code prefix-1}, {@code prefix-2}, …: a backend's workers must never keep the user's JVM
     * alive, and their names say whose they are in a thread dump.
     */
    public static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
