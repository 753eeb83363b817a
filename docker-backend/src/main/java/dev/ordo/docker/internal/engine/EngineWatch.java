package dev.ordo.docker.internal.engine;

import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Notices that the engine stopped answering and says so once to every engine listening: at once when the event
 * stream breaks and a ping fails (a killed dockerd closes its connections), and within {@link #BOUND_SECONDS}
 * when it hangs (a heartbeat ping every {@link #HEARTBEAT_SECONDS} s, with a {@link #PING_TIMEOUT_SECONDS} s
 * timeout, failing twice). No node is blamed; once a ping succeeds again the watch re-arms for the next operation.
 *
 * <pre>{@code
 * watch.lost("connection refused");   // from any call that found the engine gone
 * }</pre>
 */
public final class EngineWatch {
    public static final int HEARTBEAT_SECONDS = 2;
    public static final int PING_TIMEOUT_SECONDS = 3;
    /** The longest a hung engine goes unnoticed: two heartbeats whose pings time out. */
    public static final int BOUND_SECONDS = 2 * (HEARTBEAT_SECONDS + PING_TIMEOUT_SECONDS);

    private final String engine;
    private final BooleanSupplier ping;
    private final Supplier<Set<NodeEvents>> listening;
    private final Set<NodeEvents> told = Collections.newSetFromMap(new IdentityHashMap<>());
    private ScheduledFuture<?> heartbeat;
    private int misses;

    public EngineWatch(String engine, BooleanSupplier ping, Supplier<Set<NodeEvents>> listening) {
        this.engine = engine;
        this.ping = ping;
        this.listening = listening;
    }

    public void start(ScheduledExecutorService timer, Executor pool) {
        heartbeat = timer.scheduleWithFixedDelay(() -> pool.execute(this::beat), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private void beat() {
        if (listening.get().isEmpty()) {
            return;
        }
        if (ping.getAsBoolean()) {
            synchronized (this) {
                misses = 0;
                told.clear();
            }
        } else if (++misses >= 2) {
            lost("no answer to a ping within " + PING_TIMEOUT_SECONDS + " s, twice");
        }
    }

    /** The event stream broke: the engine is gone if a ping fails too. */
    public void check() {
        if (!listening.get().isEmpty() && !ping.getAsBoolean()) {
            lost("its event stream broke and a ping failed");
        }
    }

    /** The engine does not answer: tell every listening engine, once each. */
    public synchronized void lost(String detail) {
        for (NodeEvents e : listening.get()) {
            if (told.add(e)) {
                e.report(new Fact.Unreachable(engine, detail, "start it again (as root:"
                        + " scripts/ensure-docker.sh for the local one) or point DOCKER_HOST at a running engine,"
                        + " then run up again: it converges from whatever is left"));
            }
        }
    }

    public void stop() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}
