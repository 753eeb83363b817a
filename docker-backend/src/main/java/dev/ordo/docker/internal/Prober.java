package dev.ordo.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.HealthCheck;
import dev.ordo.spi.ProbeSchedule;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probes one replica's health check when core's {@link ProbeSchedule} says, and reports each result: before the
 * first pass on a 50 ms grid from the container's start for 30 s, then every interval; after a pass, every interval.
 * A command check runs, before its first pass, as one looping exec inside the container (one exec per probe would
 * cost the engine a runc invocation and three API calls every 50 ms); http and tcp checks are probed from the host,
 * or from inside the container when the host has no route to it. Probes decide nothing: core counts them.
 *
 * <pre>{@code
 * Prober p = new Prober(rt, containerId, ip, startedAt, check, schedule, (ok, out, latency) -> ...);
 * p.start();
 * }</pre>
 */
final class Prober {
    /** How often the in-container watcher loop runs a command check before its first pass. */
    static final long INSIDE_PERIOD_MILLIS = 50;

    /** Where results go. */
    interface Results {
        void probed(boolean passed, String output, Duration detectionLatency);
    }

    private record Result(boolean ok, String output) {
    }

    private final DockerRuntime rt;
    private final String id;
    private final String ip;
    private final Instant startedAt;
    private final HealthCheck check;
    private final ProbeSchedule schedule;
    private final Results results;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;
    private boolean passed;
    private boolean failureReported;
    private boolean inContainer;
    private int unroutable;
    private Instant lastFailBegan;
    private boolean liveness;
    private DockerHealthLog dockerLog;
    private Instant passedAt;

    /** A prober of {@code check} as a liveness check: from its start period on, every interval, every result. */
    static Prober liveness(DockerRuntime rt, String id, String ip, Instant startedAt, HealthCheck check,
                           Results results) {
        Prober p = new Prober(rt, id, ip, startedAt, check, ProbeSchedule.of(check), results);
        p.liveness = true;
        return p;
    }

    Prober(DockerRuntime rt, String id, String ip, Instant startedAt, HealthCheck check, ProbeSchedule schedule,
           Results results) {
        this.rt = rt;
        this.id = id;
        this.ip = ip;
        this.startedAt = startedAt;
        this.check = check;
        this.schedule = schedule;
        this.results = results;
        this.inContainer = ip == null || !rt.hostReachesContainers;
    }

    /** Starts probing: the first probe at once. */
    void start() {
        if (liveness) {
            schedule(check.startPeriod().minus(Duration.between(startedAt, Instant.now())));
        } else if (check.probe() instanceof HealthCheck.Command c) {
            rt.pool.execute(() -> watchInside(c));
        } else {
            schedule(Duration.ZERO);
        }
    }

    void cancel() {
        cancelled = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void schedule(Duration delay) {
        if (cancelled) {
            return;
        }
        next = rt.timer.schedule(() -> rt.pool.execute(this::probeOnce), Math.max(0, delay.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    private void probeOnce() {
        if (cancelled) {
            return;
        }
        if (passed && !liveness && check.probe() instanceof HealthCheck.Command && followDocker()) {
            return;
        }
        Instant began = Instant.now();
        Result r = probe();
        if (cancelled) {
            return;
        }
        Instant done = Instant.now();
        if (liveness) {
            results.probed(r.ok, r.output, Duration.ZERO);
            schedule(check.interval().minus(Duration.between(began, done)));
            return;
        }
        if (r.ok) {
            boolean first = !passed;
            passed = true;
            passedAt = first ? done : passedAt;
            failureReported = false;
            // The check turned true between the previous failing probe (or the container's start) and this one.
            Instant since = lastFailBegan == null || lastFailBegan.isBefore(startedAt) ? startedAt : lastFailBegan;
            Duration latency = first ? Duration.between(since.plus(Duration.between(since, began).dividedBy(2)), done)
                    : Duration.ZERO;
            results.probed(true, r.output, latency);
        } else {
            lastFailBegan = began;
            if (!failureReported || passed) {
                results.probed(false, r.output, Duration.ZERO);
                failureReported = !passed;
            }
        }
        schedule(passed ? schedule.afterReady() : untilNext());
    }

    /**
     * After the first pass, reports the results of the same check as Docker runs it ({@link DockerHealthLog}) rather
     * than running it again; false when Docker runs none in this container, so that this prober probes itself.
     */
    private boolean followDocker() {
        if (dockerLog == null) {
            dockerLog = new DockerHealthLog(passedAt == null ? Instant.now() : passedAt);
        }
        java.util.Optional<List<DockerHealthLog.Entry>> fresh;
        try {
            fresh = dockerLog.newEntries(rt.client.inspectContainerCmd(id).exec().getState().getHealth());
        } catch (RuntimeException e) {
            results.probed(false, DockerCalls.describe(e), Duration.ZERO);
            schedule(schedule.afterReady());
            return true;
        }
        if (fresh.isEmpty()) {
            return false;
        }
        for (DockerHealthLog.Entry e : fresh.get()) {
            results.probed(e.passed(), e.output(), Duration.ZERO);
        }
        schedule(schedule.afterReady());
        return true;
    }

    /** The wait until the grid's next probe after now. */
    private Duration untilNext() {
        Duration elapsed = Duration.between(startedAt, Instant.now());
        return schedule.nextBeforeReady(elapsed).minus(elapsed);
    }

    /**
     * Runs the check in a loop inside the container, in one exec, until it passes or the fast phase ends; then one
     * exec per interval. Images without a shell fall back to one exec per probe at once.
     */
    private void watchInside(HealthCheck.Command command) {
        if (cancelled) {
            return;
        }
        StringBuilder argv = new StringBuilder();
        for (String a : command.argv()) {
            argv.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        Duration left = ProbeSchedule.FAST_PHASE.minus(Duration.between(startedAt, Instant.now()));
        String script = insideLoop(argv.toString(), left);
        Result r;
        try {
            r = exec(List.of("sh", "-c", script), left.plusSeconds(5));
        } catch (RuntimeException e) {
            r = new Result(false, DockerCalls.describe(e));
        }
        if (cancelled) {
            return;
        }
        if (r.ok) {
            passed = true;
            passedAt = Instant.now();
            // The loop notices, on average, half its last pause after the check turned true; it prints that pause.
            results.probed(true, "exit code 0", Duration.ofMillis(lastPauseMillis(r.output) / 2));
            schedule(schedule.afterReady());
            return;
        }
        if (r.output.matches("exit code 12[67].*") || r.output.contains("executable file not found")) {
            schedule(Duration.ZERO); // no usable shell in the image: probe one exec at a time
            return;
        }
        Instant lastBegan = Instant.now();
        Result last = probe();
        lastFailBegan = last.ok ? null : lastBegan; // a later first pass is timed from this probe, not the start
        results.probed(last.ok, last.ok ? last.output : "no pass in the first " + ProbeSchedule.FAST_PHASE.toSeconds()
                + " s; last: " + last.output, Duration.ZERO);
        passed = last.ok;
        passedAt = last.ok ? Instant.now() : null;
        failureReported = !last.ok;
        schedule(passed ? schedule.afterReady() : untilNext());
    }

    /**
     * The shell loop that runs a command check inside the container until it passes, for at most {@code left}.
     * Between attempts it pauses {@link #INSIDE_PERIOD_MILLIS}, or, for a check that takes a second or more (a
     * {@code rabbitmq-diagnostics} call costs about a CPU-second), as long as the attempt took: so a costly check
     * never takes more than half a core from the server it waits for. It prints its last pause, in ms, on a pass.
     * It times attempts to the hundredth of a second with {@code /proc/uptime}, read by the shell itself: whole
     * seconds ({@code date +%s}) took a 20 ms {@code pg_isready} that straddled a second for a costly one and paused
     * a whole second. Without {@code /proc/uptime} it pauses the fixed period for a fixed number of rounds.
     */
    static String insideLoop(String argv, Duration left) {
        long centis = Math.max(1, (left.toMillis() + 9) / 10);
        long rounds = Math.max(1, left.toMillis() / INSIDE_PERIOD_MILLIS);
        String pause = INSIDE_PERIOD_MILLIS / 1000.0 + "";
        // the uptime in hundredths: "12345.67" -> 1234567 (the kernel prints two decimals)
        String now = "read u _ </proc/uptime; ";
        String hundredths = "${u%.*}${u#*.}";
        return "if read u _ 2>/dev/null </proc/uptime && [ -n \"$u\" ]; then end=$((" + hundredths + " + " + centis
                + ")); p=" + INSIDE_PERIOD_MILLIS + "; while :; do " + now + "a=" + hundredths + ";" + argv
                + " >/dev/null 2>&1 && { echo $p; exit 0; }; " + now + "b=" + hundredths + ";"
                + " [ $b -ge $end ] && exit 1; d=$((b - a)); if [ $d -ge 100 ]; then p=$((d * 10));"
                + " sleep $((d / 100)).$((d / 10 % 10))$((d % 10));"
                + " else p=" + INSIDE_PERIOD_MILLIS + "; sleep " + pause + "; fi; done; fi;"
                + " i=0; while [ $i -lt " + rounds + " ]; do" + argv + " >/dev/null 2>&1 && { echo "
                + INSIDE_PERIOD_MILLIS + "; exit 0; }; i=$((i+1)); sleep " + pause + "; done; exit 1";
    }

    /** The pause the inside loop printed on its pass ({@code exit code 0: 50}), or the fixed period. */
    static long lastPauseMillis(String output) {
        int colon = output.lastIndexOf(':');
        try {
            return colon < 0 ? INSIDE_PERIOD_MILLIS : Long.parseLong(output.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            return INSIDE_PERIOD_MILLIS;
        }
    }

    private Result probe() {
        try {
            HealthCheck.Probe p = check.probe();
            if (p instanceof HealthCheck.Command c) {
                return exec(c.argv(), check.timeout());
            } else if (p instanceof HealthCheck.Http h) {
                String url = "'http://127.0.0.1:" + h.port() + h.path() + "'";
                return inContainer
                        ? exec(List.of("sh", "-c", "wget -q -O /dev/null -T " + seconds(check.timeout()) + " " + url
                                + " || curl -fsS -o /dev/null " + url), check.timeout())
                        : http(h);
            } else if (p instanceof HealthCheck.Tcp t) {
                return inContainer
                        ? exec(List.of("sh", "-c", "nc -z 127.0.0.1 " + t.port() + " || nc -w 1 127.0.0.1 "
                                + t.port() + " </dev/null"), check.timeout())
                        : tcp(t);
            }
            return new Result(false, "");
        } catch (RuntimeException e) {
            return new Result(false, DockerCalls.describe(e));
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private Result exec(List<String> argv, Duration timeout) {
        String execId = rt.client.execCreateCmd(id).withCmd(argv.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        var cb = rt.streams.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
                synchronized (out) {
                    if (out.length() < 4096) {
                        out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                synchronized (out) {
                    out.append(DockerCalls.describe(t));
                }
                onComplete();
            }
        });
        try {
            if (!cb.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                cb.close();
                return new Result(false, "timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        } catch (java.io.IOException e) {
            return new Result(false, e.toString());
        }
        Long code = rt.client.inspectExecCmd(execId).exec().getExitCodeLong();
        String text;
        synchronized (out) {
            text = out.toString().trim();
        }
        return new Result(code != null && code == 0, "exit code " + code + (text.isEmpty() ? "" : ": " + text));
    }

    private Result http(HealthCheck.Http h) {
        HttpURLConnection conn = null;
        int timeout = (int) Math.min(Integer.MAX_VALUE, check.timeout().toMillis());
        try {
            conn = (HttpURLConnection) new URL("http", ip, h.port(), h.path()).openConnection();
            conn.setConnectTimeout(timeout);
            conn.setReadTimeout(timeout);
            conn.setInstanceFollowRedirects(false);
            int code = conn.getResponseCode();
            return new Result(code >= 200 && code < 400, "HTTP " + code + " from GET " + h.path());
        } catch (ConnectException e) {
            return unreachable(e, "connection refused on port " + h.port());
        } catch (java.io.IOException e) {
            return unreachable(e, e.toString());
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    private Result tcp(HealthCheck.Tcp t) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, t.port()), (int) Math.min(Integer.MAX_VALUE,
                    check.timeout().toMillis()));
            return new Result(true, "connected to port " + t.port());
        } catch (ConnectException e) {
            return unreachable(e, "connection refused on port " + t.port());
        } catch (java.io.IOException e) {
            return unreachable(e, e.toString());
        }
    }

    /** Switches to in-container probing when the host cannot route to the container's address at all. */
    private Result unreachable(Exception e, String output) {
        boolean noRoute = e instanceof NoRouteToHostException || e instanceof SocketTimeoutException
                || (e instanceof ConnectException && e.getMessage() != null
                        && !e.getMessage().contains("refused"));
        if (noRoute && ++unroutable >= 3) {
            inContainer = true;
        }
        return new Result(false, output);
    }
}
