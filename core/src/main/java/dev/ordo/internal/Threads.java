package dev.ordo.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the backends' worker pools. */
public final class Threads {
    private Threads() {
    }

    /**
     * Daemon threads named {@code prefix-1}, {@code prefix-2}, …: a backend's workers must never keep the user's JVM
     * alive, and their names say whose they are in a thread dump.
     */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
