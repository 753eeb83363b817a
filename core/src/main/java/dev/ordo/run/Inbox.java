package dev.ordo.run;

import dev.ordo.spi.NodeEvents;
import dev.ordo.spi.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * The engine's queue of backend events. Backends call it from any thread; the engine drains it on its own, so all
 * run state is touched by one thread only.
 */
final class Inbox implements NodeEvents, TimeSource.Inbox {
    enum Kind { STARTED, HEALTHY, UNHEALTHY, EXITED, FAILED, STOPPED, LOG }

    record Msg(Kind kind, String node, boolean reused, Duration latency, String text, int code, List<String> tail) {
    }

    private final LinkedBlockingDeque<Msg> queue = new LinkedBlockingDeque<>();

    private void post(Kind kind, String node, boolean reused, Duration latency, String text, int code,
                      List<String> tail) {
        queue.add(new Msg(kind, node, reused, latency, text == null ? "" : text, code, List.copyOf(tail)));
    }

    @Override
    public void started(String node, boolean reused) {
        post(Kind.STARTED, node, reused, Duration.ZERO, "", 0, List.of());
    }

    @Override
    public void healthy(String node, Duration detectionLatency) {
        post(Kind.HEALTHY, node, false, detectionLatency == null ? Duration.ZERO : detectionLatency, "", 0, List.of());
    }

    @Override
    public void unhealthy(String node, String lastOutput) {
        post(Kind.UNHEALTHY, node, false, Duration.ZERO, lastOutput, 0, List.of());
    }

    @Override
    public void exited(String node, int exitCode, List<String> logTail) {
        post(Kind.EXITED, node, false, Duration.ZERO, "", exitCode, logTail == null ? List.of() : logTail);
    }

    @Override
    public void failed(String node, String reason) {
        post(Kind.FAILED, node, false, Duration.ZERO, reason, 0, List.of());
    }

    @Override
    public void stopped(String node) {
        post(Kind.STOPPED, node, false, Duration.ZERO, "", 0, List.of());
    }

    @Override
    public void log(String node, String line) {
        post(Kind.LOG, node, false, Duration.ZERO, line, 0, List.of());
    }

    @Override
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    @Override
    public void awaitNonEmpty(long nanos) throws InterruptedException {
        Msg m = queue.pollFirst(nanos, TimeUnit.NANOSECONDS);
        if (m != null) {
            queue.addFirst(m);
        }
    }

    Msg poll() {
        return queue.pollFirst();
    }
}
