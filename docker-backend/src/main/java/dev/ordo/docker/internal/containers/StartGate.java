package dev.ordo.docker.internal.containers;

import java.util.PriorityQueue;

/**
 * Lets a few container starts run at once, longest remaining dependency chain first. The engine serialises most of
 * a container start (network endpoint, runc), so when ten nodes become startable together their starts queue up
 * inside dockerd in no useful order; queueing them here instead starts the nodes that others wait on first.
 *
 * <p>A launch is announced when core asks for it ({@link #announce}), before its containers are looked for or made.
 * A start that nothing waits on (priority 0) lets the announced launches that others wait on reach the gate first:
 * it waits until none is on its way, at most {@link #LEAF_YIELD_MILLIS} (one may be pulling its image).
 *
 * <pre>{@code
 * try (StartGate.Pass pass = gate.announce(launch.priority())) {
 *     pass.run(() -> client.startContainerCmd(id).exec());
 * }
 * }</pre>
 */
public final class StartGate {
    /** The longest a leaf's start waits for deeper ones on their way: the spread of a burst plus a create. */
    static final long LEAF_YIELD_MILLIS = 60;
    private final int permits;
    private final PriorityQueue<long[]> waiting = new PriorityQueue<>((a, b) -> a[0] != b[0]
            ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
    private int inUse;
    private long sequence;
    /** Announced launches that others wait on and that are not at the gate now. */
    private int deeperOnTheirWay;
    private int yielding;

    public StartGate(int permits) {
        this.permits = permits;
    }

    /** A launch of {@code priority} (its longest remaining dependency chain) will start containers. */
    public synchronized Pass announce(int priority) {
        if (priority > 0) {
            deeperOnTheirWay++;
        }
        return new Pass(priority);
    }

    /** Runs {@code action} as a launch announced just now. */
    void run(int priority, Runnable action) {
        try (Pass pass = announce(priority)) {
            pass.run(action);
        }
    }

    /** A launch's place: its starts run through {@link #run}; closing it says the launch will start no more. */
    public final class Pass implements AutoCloseable {
        private final int priority;
        private boolean closed;

        private Pass(int priority) {
            this.priority = priority;
        }

        /** Runs {@code action} once a permit is free and no start that others wait on comes first. */
        public void run(Runnable action) {
            if (priority == 0) {
                yieldToDeeper();
            }
            acquire(this);
            try {
                action.run();
            } finally {
                release(this);
            }
        }

        @Override
        public void close() {
            synchronized (StartGate.this) {
                if (!closed) {
                    closed = true;
                    if (priority > 0) {
                        arrived();
                    }
                }
            }
        }
    }

    private synchronized void yieldToDeeper() {
        long deadline = System.nanoTime() + LEAF_YIELD_MILLIS * 1_000_000L;
        yielding++;
        boolean interrupted = false;
        try {
            for (long left = LEAF_YIELD_MILLIS; deeperOnTheirWay > 0 && left > 0;
                 left = (deadline - System.nanoTime()) / 1_000_000L) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            yielding--;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void acquire(Pass pass) {
        if (pass.priority > 0 && !pass.closed) {
            arrived();
        }
        long[] ticket = {pass.priority, sequence++};
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

    private synchronized void release(Pass pass) {
        inUse--;
        if (pass.priority > 0 && !pass.closed) {
            deeperOnTheirWay++; // its next replica is on its way again
        }
        notifyAll();
    }

    private void arrived() {
        deeperOnTheirWay--;
        notifyAll();
    }

    /** How many callers wait for a permit (for tests that must know the queue is formed). */
    synchronized int waiting() {
        return waiting.size();
    }

    /** How many starts that nothing waits on let deeper ones on their way go first (for tests). */
    synchronized int yielding() {
        return yielding;
    }
}
