package dev.ordo.docker.internal.images;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.ordo.OrdoException;
import dev.ordo.spi.Fact;
import dev.ordo.spi.NodeEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Follows an image pull: reports its progress as the node's log lines (one per layer and status, not one per
 * downloaded chunk) and keeps the failure for the caller. docker-java's own callbacks log every failure at ERROR
 * with a stack trace; here a failed pull is the node's failure, reported once, with the fix.
 *
 * <pre>{@code
 * PullProgress p = new PullProgress("webui", "clp-package:main", events);
 * client.pullImageCmd("clp-package:main").exec(p);
 * p.await(Duration.ofMinutes(30));
 * }</pre>
 */
final class PullProgress extends ResultCallback.Adapter<PullResponseItem> {
    private final String node;
    private final String ref;
    private final NodeEvents events;
    private final Map<String, String> layers = new HashMap<>();
    private volatile RuntimeException failure;

    PullProgress(String node, String ref, NodeEvents events) {
        this.node = node;
        this.ref = ref;
        this.events = events;
    }

    @Override
    public void onNext(PullResponseItem item) {
        if (item.isErrorIndicated()) {
            String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
            fail(new OrdoException(message == null ? "the engine reported an error" : message));
            return;
        }
        String status = item.getStatus();
        if (status == null) {
            return;
        }
        String layer = item.getId();
        if (layer == null || layer.equals(tagOf(ref))) {
            events.report(new Fact.Output(node, 0, "ordo: pull " + ref + ": " + status));
        } else if (!status.equals(layers.put(layer, status))) {
            events.report(new Fact.Output(node, 0, "ordo: pull " + ref + ": layer " + layer + " " + status.toLowerCase(Locale.ROOT)));
        }
    }

    @Override
    public void onError(Throwable t) {
        fail(t instanceof RuntimeException r ? r : new OrdoException(t.toString(), t));
    }

    private void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        try {
            close();
        } catch (IOException ignored) {
            // the stream is being torn down anyway
        }
    }

    /**
     * Waits for the pull to end.
     *
     * @throws RuntimeException the pull's failure, as the engine reported it
     * @throws OrdoException    when it did not end within {@code limit}
     */
    void await(Duration limit) throws InterruptedException {
        boolean done = awaitCompletion(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (failure != null) {
            throw failure;
        }
        if (!done) {
            fail(new OrdoException("the pull did not finish within " + limit.toMinutes() + " minutes"));
            throw failure;
        }
    }

    private static String tagOf(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon < 0 || ref.indexOf('/', colon) >= 0 ? "latest" : ref.substring(colon + 1);
    }
}
