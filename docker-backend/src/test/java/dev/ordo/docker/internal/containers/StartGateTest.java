package dev.ordo.docker.internal.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The start gate: bounded concurrency, and the nodes others wait on first. */
class StartGateTest {
    @Test
    void neverRunsMoreThanItsPermitsAndLetsDeeperNodesGoFirst() throws Exception {
        StartGate gate = new StartGate(1);
        CountDownLatch blockerIn = new CountDownLatch(1);
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            pool.execute(() -> gate.run(5, () -> {
                blockerIn.countDown();
                try {
                    releaseBlocker.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertThat(blockerIn.await(5, TimeUnit.SECONDS)).isTrue();
            // While the gate is held, queue a leaf and two deeper nodes: the deeper ones must pass first.
            CountDownLatch queued = new CountDownLatch(3);
            for (int priority : new int[] {0, 1, 3}) {
                pool.execute(() -> {
                    queued.countDown();
                    gate.run(priority, () -> {
                        int now = running.incrementAndGet();
                        maxRunning.accumulateAndGet(now, Math::max);
                        order.add(priority);
                        running.decrementAndGet();
                    });
                });
            }
            assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
            // Nothing deeper is announced, so the leaf queues at once too; wait until all three are queued.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (gate.waiting() < 3 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(gate.waiting()).isEqualTo(3);
            releaseBlocker.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(order).containsExactly(3, 1, 0);
        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void aLeafLetsAnAnnouncedDeeperStartGoFirstAndGoesAsSoonAsItArrives() throws Exception {
        StartGate gate = new StartGate(1);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            StartGate.Pass deep = gate.announce(2);
            pool.execute(() -> gate.run(0, () -> order.add(0)));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (gate.yielding() < 1 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(gate.yielding()).as("the leaf waits for the deeper start on its way").isEqualTo(1);
            try (deep) {
                deep.run(() -> order.add(2));
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(order).containsExactly(2, 0);
    }

    @Test
    void aLeafWaitsOnlyBrieflyForADeeperStartThatDoesNotCome() {
        StartGate gate = new StartGate(1);
        try (StartGate.Pass slow = gate.announce(4)) { // pulling its image, say: the leaf does not wait for that
            long began = System.nanoTime();
            gate.run(0, () -> { });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began))
                    .isBetween(StartGate.LEAF_YIELD_MILLIS - 1, StartGate.LEAF_YIELD_MILLIS + 1_000);
        }
    }
}
