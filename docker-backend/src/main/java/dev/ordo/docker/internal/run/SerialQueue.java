package dev.ordo.docker.internal.run;

import dev.ordo.spi.Fact;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one after another on a shared pool. Each node's start-up, engine events and probe results go through
 * one queue, so that what the engine hears about a node arrives in order (started before healthy or exited) without
 * a thread per node.
 *
 * <pre>{@code
 * SerialQueue q = new SerialQueue(pool);
 * q.submit(() -> events.report(new Fact.Started("db", 1, false)));
 * }</pre>
 */
final class SerialQueue {
    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);
    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;

    SerialQueue(Executor pool) {
        this.pool = pool;
    }

    void submit(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.warn("unexpected error in a node task", e);
            }
        }
    }
}
