package dev.ordo.docker.internal.probe;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.HealthCheck;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.EngineErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Probes one replica's check once: a command check runs inside the container (an exec); http and tcp checks are
 * probed from this process ({@link HostProbe}), or from inside the container (busybox's or the image's
 * {@code wget}/{@code curl}/{@code nc}) when this process has no route to it, noticed after three probes that could
 * not reach it.
 *
 * <pre>{@code
 * ReplicaProbe probe = new ReplicaProbe(engine, containerId, "172.18.0.5", check);
 * ProbeResult r = probe.probe();
 * }</pre>
 */
final class ReplicaProbe {
    /** The most of an exec's output a result keeps. */
    private static final int OUTPUT_LIMIT = 4096;

    private final EngineConnection engine;
    private final String id;
    private final String ip;
    private final HealthCheck check;
    private volatile boolean inContainer;
    private int unroutable;

    ReplicaProbe(EngineConnection engine, String id, String ip, HealthCheck check) {
        this.engine = engine;
        this.id = id;
        this.ip = ip;
        this.check = check;
        this.inContainer = ip == null || !engine.hostReachesContainers();
    }

    /** Probes the check once, within its timeout. */
    ProbeResult probe() {
        try {
            HealthCheck.Probe p = check.probe();
            if (p instanceof HealthCheck.Command c) {
                return exec(c.argv(), check.timeout());
            } else if (p instanceof HealthCheck.Http h) {
                String url = "'http://127.0.0.1:" + h.port() + h.path() + "'";
                return inContainer
                        ? exec(List.of("sh", "-c", "wget -q -O /dev/null -T " + seconds(check.timeout()) + " " + url
                                + " || curl -fsS -o /dev/null " + url), check.timeout())
                        : fromHost(HostProbe.http(ip, h.port(), h.path(), check.timeout()));
            } else if (p instanceof HealthCheck.Tcp t) {
                return inContainer
                        ? exec(List.of("sh", "-c", "nc -z 127.0.0.1 " + t.port() + " || nc -w 1 127.0.0.1 "
                                + t.port() + " </dev/null"), check.timeout())
                        : fromHost(HostProbe.tcp(ip, t.port(), check.timeout()));
            }
            return new ProbeResult(false, "");
        } catch (RuntimeException e) {
            return new ProbeResult(false, EngineErrors.describe(e));
        }
    }

    /** Switches to in-container probing when the host cannot route to the container's address at all. */
    private ProbeResult fromHost(HostProbe.Outcome o) {
        if (o.noRoute() && ++unroutable >= 3) {
            inContainer = true;
        }
        return new ProbeResult(o.ok(), o.output());
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    /** Runs {@code argv} in the container and waits at most {@code timeout}: exit code 0 passes. */
    ProbeResult exec(List<String> argv, Duration timeout) {
        String execId = engine.commands().execCreateCmd(id).withCmd(argv.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        var cb = engine.streams().execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
                synchronized (out) {
                    if (out.length() < OUTPUT_LIMIT) {
                        out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                synchronized (out) {
                    out.append(EngineErrors.describe(t));
                }
                onComplete();
            }
        });
        try {
            if (!cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                cb.close();
                return new ProbeResult(false, "timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(false, "interrupted");
        } catch (IOException e) {
            return new ProbeResult(false, e.toString());
        }
        Long code = engine.commands().inspectExecCmd(execId).exec().getExitCodeLong();
        String text;
        synchronized (out) {
            text = out.toString().trim();
        }
        return new ProbeResult(code != null && code == 0, "exit code " + code + (text.isEmpty() ? "" : ": " + text));
    }
}
