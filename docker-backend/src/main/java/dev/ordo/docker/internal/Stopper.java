package dev.ordo.docker.internal;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.ordo.OrdoException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops containers as {@code docker stop} does, minus its wait for the engine's clean-up: sends the container's stop
 * signal and returns when the process has died (the engine's {@code die} event), so that the nodes this one depends
 * on are signalled while the engine still tears this one's network endpoint down. Past the grace period, SIGKILL.
 * Sending the container's own stop signal marks it stopped by the user, so its restart policy does not bring it back.
 *
 * <pre>{@code
 * new Stopper(rt).stop(container, Duration.ofSeconds(10));
 * }</pre>
 */
final class Stopper {
    private final DockerRuntime rt;

    Stopper(DockerRuntime rt) {
        this.rt = rt;
    }

    /**
     * Stops every container of {@code containers} at once (stop signal, then {@code grace} before SIGKILL) and
     * removes it; returns when all are gone. {@code what} names them in an interruption's error.
     */
    void stopAndRemoveAll(java.util.List<Container> containers, Duration grace, String what) {
        java.util.List<java.util.concurrent.Future<?>> stops = new java.util.ArrayList<>();
        for (Container c : containers) {
            stops.add(rt.pool.submit(() -> {
                stop(c, grace);
                rt.removeQuietly(c.getId());
            }));
        }
        for (java.util.concurrent.Future<?> f : stops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new dev.ordo.OrdoException("interrupted while stopping " + what);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r
                        : new dev.ordo.OrdoException("stopping " + what + " failed: " + e.getCause());
            }
        }
    }

    void stop(Container c, Duration grace) {
        if ("running".equals(c.getState())) {
            signalThenWait(c.getId(), grace);
        } else if ("restarting".equals(c.getState()) || "paused".equals(c.getState())) {
            int seconds = (int) Math.min(Integer.MAX_VALUE, (grace.toMillis() + 999) / 1000);
            try {
                rt.client.stopContainerCmd(c.getId()).withTimeout(seconds).exec();
            } catch (NotModifiedException | NotFoundException already) {
                // stopped or gone meanwhile
            }
        }
    }

    private void signalThenWait(String id, Duration grace) {
        rt.hub.ensureRunning();
        String signal = grace.isZero() ? "SIGKILL" : stopSignalOf(id);
        if (signal == null) {
            return; // gone
        }
        CompletableFuture<Void> died = rt.hub.nextDeath(id);
        try {
            rt.client.killContainerCmd(id).withSignal(signal).exec();
        } catch (NotFoundException | ConflictException notRunning) {
            rt.hub.forgetDeath(id);
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
                    var state = rt.client.inspectContainerCmd(id).exec().getState();
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
            rt.hub.forgetDeath(id);
        }
        try {
            rt.client.stopContainerCmd(id).withTimeout(0).exec(); // the grace period is over: SIGKILL
        } catch (NotModifiedException | NotFoundException already) {
            // it died just now
        }
    }

    /** The container's stop signal (its image's STOPSIGNAL, else SIGTERM), or null when it is gone. */
    private String stopSignalOf(String id) {
        // docker-java's ContainerConfig has no StopSignal, so read the inspect document through the raw transport.
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/containers/" + id + "/json").build();
        try (DockerHttpClient.Response response = rt.http.execute(request)) {
            if (response.getStatusCode() == 404) {
                return null;
            }
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.getBody());
            String configured = json.path("Config").path("StopSignal").asText("");
            return configured.isBlank() ? "SIGTERM" : configured;
        } catch (java.io.IOException e) {
            throw new OrdoException("inspecting container " + id.substring(0, 12) + " failed: " + e
                    + "; check that the Docker engine answers", e);
        }
    }
}
