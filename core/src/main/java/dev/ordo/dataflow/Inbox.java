package dev.ordo.dataflow;

import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.TimeSource;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The engine's queue of backend facts and of commands from other threads (a living deployment's trigger, resize,
 * redeploy). Anyone posts from any thread; the engine drains it on its own, so all run state is touched by one
 * thread only.
 */
final class Inbox implements NodeEvents, TimeSource.Inbox {
    private final LinkedBlockingDeque<Object> queue = new LinkedBlockingDeque<>();

    @Override
    public void report(Fact fact) {
        if (fact != null) {
            queue.add(fact);
        }
    }

    /** Runs {@code command} on the engine's thread, in order with the facts. */
    void post(Runnable command) {
        queue.add(command);
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public void awaitNonEmpty(long nanos) throws InterruptedException {
        Object f = queue.pollFirst(nanos, TimeUnit.NANOSECONDS);
        if (f != null) {
            queue.addFirst(f);
        }
    }

    /** The next fact ({@link Fact}) or command ({@link Runnable}), or null. */
    Object poll() {
        return queue.pollFirst();
    }
}
