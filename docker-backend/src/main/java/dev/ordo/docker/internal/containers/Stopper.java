package dev.ordo.docker.internal.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import dev.ordo.docker.internal.engine.EventHub;
import dev.ordo.spi.Fact;
import dev.ordo.spi.Labels;
import dev.ordo.spi.NodeEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops containers as {@code docker stop} does, minus its wait for the engine's clean-up: sends the container's stop
 * signal and returns when the process has died (the engine's {@code die} event), so that the nodes this one depends
 * on are signalled while the engine still tears this one's network endpoint down. Past the grace period, SIGKILL.
 * Sending the container's own stop signal marks it stopped by the user, so its restart policy does not bring it back.
 *
 * <pre>{@code
 * stopper.stopNode("shop", "db", Duration.ofSeconds(10), true, events);
 * }</pre>
 */
public final class Stopper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EngineConnection engine;
    private final EventHub hub;
    private final Containers containers;
    private final Removals removals;
    private final ExecutorService pool;

    public Stopper(EngineConnection engine, EventHub hub, Containers containers, Removals removals,
                   ExecutorService pool) {
        this.engine = engine;
        this.hub = hub;
        this.containers = containers;
        this.removals = removals;
        this.pool = pool;
    }

    /**
     * Stops the containers of {@code key} (a node, or {@code node@run}) of {@code deployment} in the background, and
     * tells {@code events} when they have stopped, or what failed and the fix. With {@code remove}, their removal
     * follows in the background (see {@link Removals}).
     */
    public void stopNode(String deployment, String key, Duration grace, boolean remove, NodeEvents events) {
        pool.execute(() -> {
            try {
                int at = key.indexOf('@');
                List<Container> cs = containers.ofNode(deployment, at < 0 ? key : key.substring(0, at),
                        at < 0 ? Optional.empty() : Optional.of(key.substring(at + 1)));
                List<Future<?>> done = new ArrayList<>();
                for (Container c : cs) {
                    done.add(pool.submit(() -> stop(c, grace)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                if (remove) {
                    // The nodes this one depends on only wait for it to have stopped; removing its containers (the
                    // engine handles removals about one at a time) overlaps their stops. observe(), release() and
                    // start() wait for it.
                    removals.add(deployment + "/" + key, () -> cs.forEach(c -> containers.remove(c.getId())));
                }
                events.report(new Fact.Stopped(key));
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (EngineErrors.unreachable(cause)) {
                    events.report(new Fact.Unreachable(engine.name(), EngineErrors.describe(cause), "start it again,"
                            + " then run down again"));
                    // A teardown that goes on despite the outage (the deployment spans engines) moves past it.
                    events.report(new Fact.Refused(key, engine.name() + " does not answer; node '" + key + "' may still run there:"
                            + " start the engine again, then run down again"));
                } else {
                    events.report(new Fact.Refused(key, "stopping node '" + key + "' failed: " + EngineErrors.describe(cause)
                            + "; check the engine (docker ps -a --filter label=" + Labels.NODE + "=" + key + ")"));
                }
            }
        });
    }

    /**
     * Stops every container of {@code containers} at once (stop signal, then {@code grace} before SIGKILL) and
     * removes it; returns when all are gone. {@code what} names them in an interruption's error.
     */
    void stopAndRemoveAll(List<Container> stopping, Duration grace, String what) {
        List<Future<?>> stops = new ArrayList<>();
        for (Container c : stopping) {
            stops.add(pool.submit(() -> {
                stop(c, grace);
                containers.remove(c.getId());
            }));
        }
        for (Future<?> f : stops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("interrupted while stopping " + what);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new OrdoException("stopping " + what + " failed: " + e.getCause());
            }
        }
    }

    private void stop(Container c, Duration grace) {
        if ("running".equals(c.getState())) {
            signalThenWait(c.getId(), grace);
        } else if ("restarting".equals(c.getState()) || "paused".equals(c.getState())) {
            int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
            try {
                engine.commands().stopContainerCmd(c.getId()).withTimeout(seconds).exec();
            } catch (NotModifiedException | NotFoundException already) {
                // stopped or gone meanwhile
            }
        }
    }

    private void signalThenWait(String id, Duration grace) {
        hub.ensureRunning();
        String signal = grace.isZero() ? "SIGKILL" : stopSignalOf(id);
        if (signal == null) {
            return; // gone
        }
        CompletableFuture<Void> died = hub.nextDeath(id);
        try {
            engine.commands().killContainerCmd(id).withSignal(signal).exec();
        } catch (NotFoundException | ConflictException notRunning) {
            hub.forgetDeath(id);
            return;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && !grace.isZero()) {
                    break;
                }
                try {
                    died.get(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 500)),
                            TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    // the event stream may be reconnecting: ask the engine directly
                    var state = engine.commands().inspectContainerCmd(id).exec().getState();
                    if (!Boolean.TRUE.equals(state.getRunning())) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new OrdoException("waiting for container " + id.substring(0, 12) + " to stop failed: " + e.getCause());
        } catch (NotFoundException gone) {
            return;
        } finally {
            hub.forgetDeath(id);
        }
        try {
            engine.commands().stopContainerCmd(id).withTimeout(0).exec(); // the grace period is over: SIGKILL
        } catch (NotModifiedException | NotFoundException already) {
            // it died just now
        }
    }

    /** The container's stop signal (its image's STOPSIGNAL, else SIGTERM), or null when it is gone. */
    private String stopSignalOf(String id) {
        // docker-java's ContainerConfig has no StopSignal, so read the inspect document through the raw transport.
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/containers/" + id + "/json").build();
        try (DockerHttpClient.Response response = engine.http().execute(request)) {
            if (response.getStatusCode() == 404) {
                return null;
            }
            var json = JSON.readTree(response.getBody());
            String configured = json.path("Config").path("StopSignal").asText("");
            return configured.isBlank() ? "SIGTERM" : configured;
        } catch (IOException e) {
            throw new OrdoException("inspecting container " + id.substring(0, 12) + " failed: " + e
                    + "; check that the Docker engine answers", e);
        }
    }
}
