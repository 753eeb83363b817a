package dev.ordo.run;

import dev.ordo.Pool;
import dev.ordo.run.NodeRecord.Phase;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The pools' slots during a run: a member holds one from its start until it stops (a job: until it exits). */
final class Pools {
    private static final class Slots {
        final Pool pool;
        int used;
        final ArrayDeque<NodeLife> queue = new ArrayDeque<>();

        Slots(Pool pool) {
            this.pool = pool;
        }
    }

    private final Engine engine;
    private final Map<String, Slots> slots = new HashMap<>();

    Pools(Engine engine) {
        this.engine = engine;
    }

    void define(Collection<Pool> pools) {
        pools.forEach(p -> slots.put(p.name(), new Slots(p)));
    }

    /** Launches {@code r} now if its pool has a free slot, queues it if not, rules it out if the pool is drained. */
    void admit(NodeLife r) {
        if (r.node.pool().isEmpty()) {
            engine.launch(r);
            return;
        }
        Slots s = slots.get(r.node.pool().get());
        if (s.pool.isDrained()) {
            engine.skip(r, Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " is in pool '" + s.pool.name()
                    + "', which is drained (0 slots): nothing of it starts until it is resized; give it slots with"
                    + " .pool(\"" + s.pool.name() + "\", n)"));
        } else if (s.used < s.pool.slots()) {
            s.used++;
            r.holdsSlot = true;
            engine.launch(r);
        } else {
            r.phase = Phase.POOL_WAIT;
            s.queue.add(r);
            engine.emit(RunEvent.Type.WAITING_FOR_POOL, r, "pool '" + s.pool.name() + "' has all " + s.pool.slots()
                    + " slots in use");
        }
    }

    /** {@code r} gives its slot back; the next member waiting for one starts unless the run stopped scheduling. */
    void release(NodeRecord r, boolean stopScheduling) {
        if (!r.holdsSlot) {
            return;
        }
        r.holdsSlot = false;
        Slots s = slots.get(r.node.pool().orElseThrow());
        s.used--;
        while (!stopScheduling && s.used < s.pool.slots() && !s.queue.isEmpty()) {
            NodeLife next = s.queue.poll();
            if (next.phase == Phase.POOL_WAIT) {
                s.used++;
                next.holdsSlot = true;
                engine.launch(next);
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
        String holders = all.stream().filter(x -> x.holdsSlot && s.pool.name().equals(x.node.pool().orElse("")))
                .map(x -> x.node.name()).collect(Collectors.joining(", "));
        return Failure.of(Failure.Reason.POOL_BLOCKED, r.what() + " waited for a slot of pool '" + s.pool.name()
                + "' (" + s.pool.slots() + " slots), but they stay held by long-running " + holders
                + "; give the pool more slots or take services out of it");
    }
}
