package dev.ordo.dataflow;

import dev.ordo.Pool;
import dev.ordo.run.Failure;
import dev.ordo.run.RunEvent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pools' slots on a session, shared by every flow: a member holds one from its start until it stops (a job:
 * until it exits). Slots can be resized while a living deployment runs; a drained pool (0 slots) starts nothing
 * new. In an {@code up} a member of a drained pool is ruled out; in a triggered run it waits, never dropped.
 */
final class Pools {
    private static final class Slots {
        Pool pool;
        int used;
        final ArrayDeque<NodeLife> queue = new ArrayDeque<>();

        Slots(Pool pool) {
            this.pool = pool;
        }
    }

    private final Map<String, Slots> slots = new LinkedHashMap<>();
    /** Pools a redeploy holds drained: a definition (the redeploy's own up) does not give them slots back. */
    private final Set<String> held = new HashSet<>();

    /** Defines the deployment's pools; a pool already known keeps its members and takes the new slot count. */
    void define(Collection<Pool> pools) {
        for (Pool p : pools) {
            Slots s = slots.get(p.name());
            if (s == null) {
                slots.put(p.name(), new Slots(p));
            } else if (!held.contains(p.name())) {
                resize(p.name(), p.slots());
            }
        }
    }

    /** Whether a pool of that name is known. */
    boolean knows(String pool) {
        return slots.containsKey(pool);
    }

    /** The current definition of {@code pool}. */
    Optional<Pool> pool(String pool) {
        return Optional.ofNullable(slots.get(pool)).map(s -> s.pool);
    }

    /** How many members of {@code pool} hold a slot now. */
    int used(String pool) {
        Slots s = slots.get(pool);
        return s == null ? 0 : s.used;
    }

    /** Drains {@code pool} to 0 and holds it there, whatever a definition says, until {@link #unhold}. */
    void hold(String pool) {
        held.add(pool);
        resize(pool, 0);
    }

    /** Ends the hold of {@code pool} with {@code count} slots; members waiting for one start. */
    void unhold(String pool, int count) {
        held.remove(pool);
        resize(pool, count);
    }

    /** Gives {@code pool} {@code count} slots; members waiting for one start if there is room now. */
    void resize(String pool, int count) {
        Slots s = slots.get(pool);
        s.pool = new Pool(pool, count);
        admitWaiting(s);
    }

    /** Launches {@code r} now if its pool has a free slot, queues it if not, rules it out if the pool is drained. */
    void admit(NodeLife r) {
        if (r.node.pool().isEmpty()) {
            r.flow.launch(r);
            return;
        }
        Slots s = slots.get(r.node.pool().get());
        if (s.pool.isDrained() && !r.flow.waitForDrainedPools) {
            r.flow.skip(r, Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " is in pool '" + s.pool.name()
                    + "', which is drained (0 slots): nothing of it starts until it is resized; give it slots with"
                    + " .pool(\"" + s.pool.name() + "\", n)"));
        } else if (s.used < s.pool.slots()) {
            s.used++;
            r.wait.holdSlot(true);
            r.flow.launch(r);
        } else {
            r.queueForSlot();
            s.queue.add(r);
            r.flow.emit(RunEvent.Type.WAITING_FOR_POOL, r, "pool '" + s.pool.name() + "' has all " + s.pool.slots()
                    + " slots in use");
        }
    }

    /** {@code r} gives its slot back; the next member waiting for one starts unless its flow stopped scheduling. */
    void release(NodeLife r) {
        if (!r.wait.holdsSlot()) {
            return;
        }
        r.wait.holdSlot(false);
        Slots s = slots.get(r.node.pool().orElseThrow());
        s.used--;
        admitWaiting(s);
    }

    private void admitWaiting(Slots s) {
        while (s.used < s.pool.slots() && !s.queue.isEmpty()) {
            NodeLife next = s.queue.poll();
            if (next.phase == Phase.POOL_WAIT && !next.flow.stoppedScheduling()) {
                s.used++;
                next.wait.holdSlot(true);
                next.flow.launch(next);
            }
        }
    }

    /** {@code r} will not start after all: it leaves its pool's queue. */
    void forget(NodeLife r) {
        if (r.phase == Phase.POOL_WAIT) {
            slots.get(r.node.pool().orElseThrow()).queue.remove(r);
        }
    }

    /** Why {@code r} still waits for a slot when nothing is left to run: members that never give theirs back. */
    Failure blocked(NodeLife r, Collection<NodeLife> all) {
        Slots s = slots.get(r.node.pool().orElseThrow());
        String holders = all.stream().filter(x -> x.wait.holdsSlot() && s.pool.name().equals(x.node.pool().orElse("")))
                .map(x -> x.node.name()).collect(Collectors.joining(", "));
        return Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " waited for a slot of pool '" + s.pool.name()
                + "' (" + s.pool.slots() + " slots), but they stay held by long-running " + holders
                + "; give the pool more slots or take services out of it");
    }
}
