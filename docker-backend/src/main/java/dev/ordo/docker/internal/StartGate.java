package dev.ordo.docker.internal;

import java.util.PriorityQueue;

/**
 * Lets a few container starts run at once, longest remaining dependency chain first. The engine serialises most of
 * a container start (network endpoint, runc), so when ten nodes become startable together their starts queue up
 * inside dockerd in no useful order; queueing them here instead starts the nodes that others wait on first.
 *
 * <pre>{@code
 * gate.run(depth, () -> client.startContainerCmd(id).exec());
 * }</pre>
 */
final class StartGate {
    /** Longer than the spread of one burst of start requests (a few ms) plus a container create (tens of ms). */
    static final long LEAF_YIELD_MILLIS = 60;
    private final int permits;
    private final PriorityQueue<long[]> waiting = new PriorityQueue<>((a, b) -> a[0] != b[0]
            ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    private int inUse;
    private long sequence;

    StartGate(int permits) {
        this.permits = permits;
    }

    void run(int priority, Runnable action) {
        if (priority == 0) {
            // Nothing waits on this node: let the nodes of the same burst that others wait on queue up first.
            try {
                Thread.sleep(LEAF_YIELD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        acquire(priority);
        try {
            action.run();
        } finally {
            release();
        }
    }

    private synchronized void acquire(int priority) {
        long[] ticket = {priority, sequence++};
        waiting.add(ticket);
        boolean interrupted = false;
        while (inUse >= permits || waiting.peek() != ticket) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        waiting.poll();
        inUse++;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many callers wait for a permit (for tests that must know the queue is formed). */
    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void release() {
        inUse--;
        notifyAll();
    }
}
