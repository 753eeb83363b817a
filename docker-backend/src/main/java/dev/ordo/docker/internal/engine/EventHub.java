package dev.ordo.docker.internal.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.ordo.spi.Labels;
import java.io.Closeable;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription to the engine's event stream for every Ordo container, dispatched by container id. Readiness
 * and exits are learnt from these events (start, die, health_status) instead of polling inspect; a dropped stream
 * is resubscribed with {@code since} so that nothing in between is lost.
 *
 * <pre>{@code
 * hub.ensureRunning();
 * hub.listen(containerId, event -> ...);
 * }</pre>
 */
public final class EventHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private final DockerClient client;
    private final ScheduledExecutorService timer;
    private final Map<String, Consumer<Event>> listeners = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> deaths = new ConcurrentHashMap<>();
    private volatile Closeable stream;
    private volatile boolean closed;
    private volatile long lastEventNanos;
    private volatile int failures;
    private CountDownLatch connected;
    /** Told when the stream fails or ends: the engine may be gone. */
    private final Runnable onTrouble;

    /**
     * A hub on {@code client} (one without a response timeout: the stream may stay silent for long), resubscribing on
     * {@code timer}, telling {@code onTrouble} when the stream breaks.
     */
    public EventHub(DockerClient client, ScheduledExecutorService timer, Runnable onTrouble) {
        this.client = client;
        this.timer = timer;
        this.onTrouble = onTrouble;
    }

    /** Subscribes if not yet subscribed, and waits (bounded) until the engine has accepted the subscription. */
    public synchronized void ensureRunning() {
        if (stream == null && !closed) {
            connected = new CountDownLatch(1);
            // so that a resubscription before the first event still replays from here, not from "now"
            Instant now = Instant.now();
            lastEventNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            subscribe(null);
        }
        try {
            connected.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void listen(String containerId, Consumer<Event> listener) {
        listeners.put(containerId, listener);
    }

    /**
     * Completes when the engine next reports that the container's process died. Register before causing the death,
     * so that the event cannot slip by.
     */
    public CompletableFuture<Void> nextDeath(String containerId) {
        return deaths.computeIfAbsent(containerId, k -> new CompletableFuture<>());
    }

    public void forgetDeath(String containerId) {
        deaths.remove(containerId);
    }

    public void forget(String containerId) {
        listeners.remove(containerId);
    }

    private void subscribe(String since) {
        var cmd = client.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Labels.DEPLOYMENT);
        if (since != null) {
            cmd = cmd.withSince(since);
        }
        CountDownLatch latch = connected;
        stream = cmd.exec(new ResultCallback.Adapter<Event>() {
            @Override
            public void onStart(Closeable closeable) {
                super.onStart(closeable);
                latch.countDown();
            }

            @Override
            public void onNext(Event event) {
                failures = 0;
                if (event.getTimeNano() != null) {
                    lastEventNanos = event.getTimeNano();
                }
                String id = event.getId() != null ? event.getId()
                        : event.getActor() != null ? event.getActor().getId() : null;
                if (id != null && "die".equals(event.getAction())) {
                    var death = deaths.remove(id);
                    if (death != null) {
                        death.complete(null);
                    }
                }
                Consumer<Event> l = id == null ? null : listeners.get(id);
                if (l != null) {
                    l.accept(event);
                }
            }

            @Override
            public void onError(Throwable t) {
                if (!closed) {
                    LOG.debug("Docker event stream failed ({}); resubscribing", t.toString());
                    onTrouble.run();
                    resubscribeLater();
                }
            }

            @Override
            public void onComplete() {
                if (!closed) {
                    onTrouble.run();
                    resubscribeLater();
                }
            }
        });
        if (closed) {
            close();
        }
    }

    private void resubscribeLater() {
        long since = lastEventNanos;
        long delay = Math.min(5_000, 250L << Math.min(5, failures++)); // backed off while the engine is away
        timer.schedule(() -> {
            if (!closed) {
                // since= replays what happened while the stream was down, so no die or health event is lost.
                subscribe(since == 0 ? null : (since / 1_000_000_000L) + "." + String.format("%09d",
                        since % 1_000_000_000L));
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("closing the event stream", e);
            }
        }
    }
}
