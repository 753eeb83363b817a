package dev.ordo.run;

import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.TimeSource;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The engine's queue of backend facts. Backends report from any thread; the engine drains it on its own, so all
 * run state is touched by one thread only.
 */
final class Inbox implements NodeEvents, TimeSource.Inbox {
    private final LinkedBlockingDeque<Fact> queue = new LinkedBlockingDeque<>();

    @Override
    public void report(Fact fact) {
        if (fact != null) {
            queue.add(fact);
        }
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public void awaitNonEmpty(long nanos) throws InterruptedException {
        Fact f = queue.pollFirst(nanos, TimeUnit.NANOSECONDS);
        if (f != null) {
            queue.addFirst(f);
        }
    }

    Fact poll() {
        return queue.pollFirst();
    }
}
