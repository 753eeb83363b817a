package dev.ordo.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.spi.Labels;
import dev.ordo.spi.NodeEvents;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code start} of one node: creates (or keeps) its replicas, watches their engine events and probes, and
 * reports to the engine in order. Every state change runs on the node's {@link SerialQueue}.
 *
 * <pre>{@code
 * new NodeRun(runtime, deployment, node, node, false, events).begin();
 * }</pre>
 */
final class NodeRun {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRun.class);
    /** How long Ordo probes on its own fast cadence after a container starts; afterwards, every interval. */
    static final Duration FAST_PHASE = Duration.ofSeconds(30);
    /** First delay between fast probes; grows by half each time up to {@link #FAST_CAP_MILLIS}. */
    static final long FAST_FIRST_MILLIS = 20;
    /** Longest delay between fast probes: bounds detection latency to about this plus one probe's duration. */
    static final long FAST_CAP_MILLIS = 100;
    static final int LOG_TAIL = 50;
    /** How long an exit waits for the container's log stream to deliver its last lines. */
    static final Duration LOG_DRAIN = Duration.ofSeconds(1);
    /** How often the in-container watcher loop runs a command check during the fast phase. */
    static final long INSIDE_PERIOD_MILLIS = 50;

    private final DockerRuntime rt;
    private final Deployment deployment;
    private final Node node;
    private final Node effective;
    private final boolean recreate;
    private final NodeEvents events;
    private final SerialQueue queue;
    private final Instant runStart = Instant.now();
    private final List<Replica> replicas = new ArrayList<>();
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private boolean startedReported;
    private boolean finalReported;
    private boolean healthyReported;
    private boolean unhealthyReported;
    private int attempt = 1;
    private boolean deadlineExceeded;
    private ScheduledFuture<?> deadline;
    private final int priority;

    NodeRun(DockerRuntime rt, Deployment deployment, Node node, Node effective, boolean recreate,
            NodeEvents events) {
        this.rt = rt;
        this.deployment = deployment;
        this.node = node;
        this.effective = effective;
        this.recreate = recreate;
        this.events = events;
        this.queue = new SerialQueue(rt.pool);
        this.priority = DockerRuntime.downstreamDepth(deployment, node.name());
    }

    void begin() {
        queue.submit(this::doStart);
    }

    /** The engine is stopping the node: exits from now on are expected, not crashes. */
    void stopping() {
        stopping = true;
        queue.submit(this::cancelAll);
    }

    /** A newer start of the same node replaced this one. */
    void abandon() {
        abandoned = true;
        queue.submit(this::cancelAll);
    }

    private boolean quiet() {
        return stopping || abandoned;
    }

    private String name() {
        return node.name();
    }

    // ---------------------------------------------------------------------------------------------------------
    // start

    private void doStart() {
        if (quiet()) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            List<Container> existing = rt.containers(deployment.name(), name());
            if (!recreate && reusable(existing)) {
                reuse(existing);
                return;
            }
            for (Container c : existing) {
                rt.removeQuietly(c.getId());
            }
            checkNameClash();
            ensureImage();
            for (int i = 1; i <= effective.replicas(); i++) {
                Replica r = new Replica(i, DockerRuntime.containerName(deployment.name(), name(), i));
                replicas.add(r);
                createAndStart(r);
            }
            startedReported = true;
            LOG.debug("{}: started in {} ms", name(), (System.nanoTime() - t0) / 1_000_000);
            events.started(name(), false);
            afterStart(false);
        } catch (OrdoException e) {
            fail(e.getMessage());
        } catch (RuntimeException e) {
            fail("node '" + name() + "': the Docker engine refused to run it: " + DockerRuntime.describe(e)
                    + "; fix the node's definition or the engine's state and run up again");
        }
    }

    private boolean reusable(List<Container> existing) {
        if (existing.size() != effective.replicas() || existing.isEmpty()) {
            return false;
        }
        String hash = effective.configHash();
        for (Container c : existing) {
            Map<String, String> l = DockerRuntime.labels(c.getLabels());
            if (!hash.equals(l.get(DockerRuntime.EFFECTIVE_HASH))) {
                return false;
            }
            boolean running = "running".equals(c.getState());
            boolean completed = "exited".equals(c.getState()) && c.getStatus() != null
                    && c.getStatus().startsWith("Exited (0)");
            // A job that completed is kept (not re-run unless asked); a failed one is run again.
            if (!(running || (effective instanceof Job && completed))) {
                return false;
            }
        }
        return true;
    }

    private void reuse(List<Container> existing) {
        for (Container c : existing) {
            int index = Integer.parseInt(DockerRuntime.labels(c.getLabels()).getOrDefault(Labels.REPLICA, "1"));
            Replica r = new Replica(index, DockerRuntime.containerName(deployment.name(), name(), index));
            r.id = c.getId();
            r.reused = true;
            replicas.add(r);
            listen(r);
        }
        startedReported = true;
        events.started(name(), true);
        afterStart(true);
    }

    private void afterStart(boolean reused) {
        if (effective.replicas() == 0) {
            if (effective.hasHealthCheck()) {
                healthyReported = true;
                events.healthy(name(), Duration.ZERO);
            }
            return;
        }
        for (Replica r : replicas) {
            // Follow first: reconcile may find the container already exited (a quick job), and its exit then waits
            // for the log stream to deliver the output.
            if (!reused || effective.container().healthCheck().map(h -> h.probe() instanceof HealthCheck.LogLine)
                    .orElse(false)) {
                follow(r, reused);
            }
            reconcile(r);
        }
        if (effective instanceof Job job) {
            job.activeDeadline().ifPresent(limit -> deadline = rt.timer.schedule(
                    () -> queue.submit(this::deadlinePassed), limit.toMillis(), TimeUnit.MILLISECONDS));
        } else {
            effective.container().healthCheck().ifPresent(hc -> replicas.forEach(r -> watchHealth(r, hc)));
        }
    }

    private void checkNameClash() {
        for (int i = 1; i <= effective.replicas(); i++) {
            String cname = DockerRuntime.containerName(deployment.name(), name(), i);
            InspectContainerResponse found;
            try {
                found = rt.client.inspectContainerCmd(cname).exec();
            } catch (NotFoundException free) {
                continue;
            }
            Map<String, String> l = DockerRuntime.labels(found.getConfig().getLabels());
            if (deployment.name().equals(l.get(Labels.DEPLOYMENT)) && name().equals(l.get(Labels.NODE))) {
                rt.removeQuietly(found.getId());
            } else {
                throw new OrdoException("node '" + name() + "': container name '" + cname
                        + "' is taken by a container Ordo did not create for this node (id "
                        + found.getId().substring(0, 12) + "); Ordo never touches containers without its labels, "
                        + "so remove or rename that container (docker rm -f " + cname
                        + ") or rename the deployment");
            }
        }
    }

    private void ensureImage() {
        String image = effective.container().image();
        try {
            rt.client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException absent) {
            // pulled below
        } catch (DockerException e) {
            throw new OrdoException("node '" + name() + "': the Docker engine rejects image reference '" + image
                    + "' (" + DockerRuntime.describe(e) + "); fix the node's .image(...)", e);
        }
        String ref = image;
        int slash = ref.lastIndexOf('/');
        if (!ref.contains("@") && ref.indexOf(':', slash + 1) < 0) {
            ref = ref + ":latest"; // without a tag the engine would pull every tag of the repository
        }
        try {
            events.log(name(), "ordo: pulling image " + ref);
            PullProgress progress = new PullProgress(name(), ref, events);
            rt.client.pullImageCmd(ref).exec(progress);
            progress.await(Duration.ofMinutes(30));
            events.log(name(), "ordo: pulled image " + ref);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrdoException("node '" + name() + "': interrupted while pulling image '" + image + "'");
        } catch (RuntimeException e) {
            throw new OrdoException("node '" + name() + "': image '" + image + "' is not on the Docker engine and "
                    + "pulling it failed (" + DockerRuntime.describe(e) + "); build or load it locally "
                    + "(docker build / docker load), fix the image reference, or rehearse with stand-ins", e);
        }
    }

    private void createAndStart(Replica r) {
        var c = effective.container();
        Map<String, String> labels = new LinkedHashMap<>(effective.labels());
        labels.put(Labels.DEPLOYMENT, deployment.name());
        labels.put(Labels.NODE, name());
        labels.put(Labels.REPLICA, Integer.toString(r.index));
        labels.put(Labels.CONFIG_HASH, node.configHash());
        labels.put(Labels.KIND, effective.kind().label());
        labels.put(DockerRuntime.EFFECTIVE_HASH, effective.configHash());

        List<String> env = new ArrayList<>();
        c.environment().forEach((k, v) -> env.add(k + "=" + v));
        Tar secretFiles = new Tar();
        boolean anyFile = false;
        for (SecretRef ref : c.secrets()) {
            Secret secret = deployment.secrets().get(ref.secret());
            if (secret == null) {
                throw new OrdoException("node '" + name() + "' uses secret '" + ref.secret()
                        + "', which the deployment does not define; add it with Deployment.Builder#secret");
            }
            if (ref.isEnvironment()) {
                // Explicit opt-in (SecretRef.environment): visible to docker inspect, as its Javadoc warns.
                env.add(ref.environment() + "=" + new String(secret.value(), StandardCharsets.UTF_8));
            } else {
                secretFiles.file(ref.path().replaceFirst("^/+", ""), 0400, secret.value());
                anyFile = true;
            }
        }

        List<com.github.dockerjava.api.model.Mount> mounts = new ArrayList<>();
        for (Mount m : c.mounts()) {
            var dm = new com.github.dockerjava.api.model.Mount().withTarget(m.target()).withReadOnly(m.readOnly());
            switch (m.type()) {
                case VOLUME -> dm.withType(MountType.VOLUME)
                        .withSource(DockerRuntime.volumeName(deployment.name(), m.source()));
                case BIND -> dm.withType(MountType.BIND).withSource(m.source());
                case TMPFS -> dm.withType(MountType.TMPFS);
                default -> throw new AssertionError(m.type());
            }
            mounts.add(dm);
        }
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (Port p : c.ports()) {
            ExposedPort ep = "udp".equals(p.protocol()) ? ExposedPort.udp(p.container()) : ExposedPort.tcp(p.container());
            exposed.add(ep);
            if (p.isPublished()) {
                bindings.bind(ep, Ports.Binding.bindPort(p.host()));
            }
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(DockerRuntime.networkName(deployment.name()))
                .withMounts(mounts)
                .withPortBindings(bindings)
                .withRestartPolicy(restartPolicy());
        CreateContainerCmd cmd = rt.client.createContainerCmd(c.image())
                .withName(r.name)
                .withLabels(labels)
                .withEnv(env)
                .withHostConfig(host)
                .withAliases(name())
                .withExposedPorts(exposed)
                .withStopTimeout((int) Math.min(Integer.MAX_VALUE, (c.stopGracePeriod().toMillis() + 999) / 1000));
        if (!c.entrypoint().isEmpty()) {
            cmd.withEntrypoint(c.entrypoint());
        }
        if (!c.command().isEmpty()) {
            cmd.withCmd(c.command());
        }
        if (!c.workingDir().isEmpty()) {
            cmd.withWorkingDir(c.workingDir());
        }
        c.healthCheck().ifPresent(hc -> {
            if (hc.probe() instanceof HealthCheck.Command command && effective instanceof Service) {
                List<String> test = new ArrayList<>();
                test.add("CMD");
                test.addAll(command.argv());
                cmd.withHealthcheck(new com.github.dockerjava.api.model.HealthCheck()
                        .withTest(test)
                        .withInterval(Math.max(1_000_000L, hc.interval().toNanos()))
                        .withTimeout(Math.max(1_000_000L, hc.timeout().toNanos()))
                        .withRetries(hc.retries())
                        .withStartPeriod(hc.startPeriod().toNanos()));
            }
        });
        try {
            r.id = cmd.exec().getId();
        } catch (DockerException e) {
            throw new OrdoException("node '" + name() + "': Docker refused to create container '" + r.name + "': "
                    + DockerRuntime.describe(e) + "; fix the node's definition (image, mounts, ports) and run up "
                    + "again", e);
        }
        if (anyFile) {
            // Copied before start, so the files exist when the process starts and never pass through env.
            rt.client.copyArchiveToContainerCmd(r.id).withRemotePath("/")
                    .withTarInputStream(new ByteArrayInputStream(secretFiles.finish())).exec();
        }
        listen(r);
        try {
            rt.startGate.run(priority, () -> {
                r.startNanos = System.nanoTime();
                rt.client.startContainerCmd(r.id).exec();
            });
        } catch (DockerException e) {
            throw new OrdoException("node '" + name() + "': Docker could not start container '" + r.name + "': "
                    + DockerRuntime.describe(e) + "; check the node's ports, mounts and command", e);
        }
    }

    private com.github.dockerjava.api.model.RestartPolicy restartPolicy() {
        if (!(effective instanceof Service s)) {
            return com.github.dockerjava.api.model.RestartPolicy.noRestart(); // job retries are Ordo's own
        }
        return switch (s.restartPolicy()) {
            case NO -> com.github.dockerjava.api.model.RestartPolicy.noRestart();
            case ON_FAILURE -> com.github.dockerjava.api.model.RestartPolicy.onFailureRestart(0);
            case UNLESS_STOPPED -> com.github.dockerjava.api.model.RestartPolicy.unlessStoppedRestart();
            case ALWAYS -> com.github.dockerjava.api.model.RestartPolicy.alwaysRestart();
        };
    }

    private void listen(Replica r) {
        String id = r.id;
        rt.hub.listen(id, ev -> {
            Instant seen = Instant.now();
            queue.submit(() -> onEvent(r, id, ev, seen));
        });
    }

    /** Catches up with what happened before the event subscription saw this container (it may have exited). */
    private void reconcile(Replica r) {
        try {
            InspectContainerResponse info = rt.client.inspectContainerCmd(r.id).exec();
            var nets = info.getNetworkSettings().getNetworks();
            var net = nets == null ? null : nets.get(DockerRuntime.networkName(deployment.name()));
            r.ip = net == null ? null : net.getIpAddress();
            var state = info.getState();
            if (!Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())
                    && state.getExitCodeLong() != null && !"created".equals(state.getStatus())) {
                onDie(r, r.id, state.getExitCodeLong().intValue());
            }
        } catch (NotFoundException gone) {
            onDie(r, r.id, -1);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // events

    private void onEvent(Replica r, String id, Event ev, Instant seen) {
        if (!id.equals(r.id)) {
            return; // an event of a container this replica no longer runs (a job's earlier attempt)
        }
        String action = ev.getAction() != null ? ev.getAction() : ev.getStatus();
        if (action == null) {
            return;
        }
        if (action.equals("die")) {
            String code = ev.getActor() == null ? null : ev.getActor().getAttributes().get("exitCode");
            onDie(r, id, code == null ? -1 : Integer.parseInt(code));
        } else if (action.equals("start")) {
            if (r.dead && !quiet() && !finalReported && effective instanceof Service) {
                // Brought back by its restart policy: the engine counts restarts from repeated started reports,
                // and a replica not yet healthy is watched again (its in-container watcher died with it).
                r.dead = false;
                events.started(name(), false);
                // Docker ends a log stream when its container stops; follow the new run's output only.
                // Docker waits at least 100 ms before a restart, so 50 ms before the start event separates the runs.
                Instant restarted = ev.getTimeNano() == null ? seen : Instant.ofEpochSecond(0, ev.getTimeNano());
                follow(r, false, restarted.minusMillis(50));
                effective.container().healthCheck().filter(hc -> !r.healthy).ifPresent(hc -> watchHealth(r, hc));
            }
            r.dead = false;
        } else if (action.startsWith("health_status")) {
            if (action.endsWith(": healthy")) {
                Instant at = ev.getTimeNano() == null ? seen
                        : Instant.ofEpochSecond(0, ev.getTimeNano());
                onHealthy(r, r.reused ? Duration.ZERO : positive(Duration.between(at, seen)));
            } else if (action.endsWith(": unhealthy")) {
                onUnhealthy(r, lastDockerHealthOutput(r));
            }
        }
    }

    private void onDie(Replica r, String id, int code) {
        if (r.dead || !id.equals(r.id)) {
            return;
        }
        r.dead = true;
        if (!quiet()) {
            // The engine ends a follow stream once the container is gone, after its last lines: let them arrive
            // before the exit is reported (a quick job may print and die before the stream has caught up).
            r.awaitLogEnd(LOG_DRAIN);
        }
        r.cancel();
        if (quiet() || finalReported) {
            return;
        }
        if (effective instanceof Job job) {
            if (code != 0 && attempt <= job.backoffLimit() && !deadlineExceeded) {
                attempt++;
                events.log(name(), "ordo: job '" + name() + "' exited with code " + code + "; retry " + (attempt - 1)
                        + " of " + job.backoffLimit());
                try {
                    rt.removeQuietly(r.id);
                    r.dead = false;
                    createAndStart(r);
                    reconcile(r);
                    follow(r, false);
                } catch (RuntimeException e) {
                    fail("node '" + name() + "': could not retry the job: " + DockerRuntime.describe(e));
                }
                return;
            }
            List<String> tail = new ArrayList<>(rt.logTail(r.id, LOG_TAIL));
            if (deadlineExceeded) {
                tail.add("ordo: job '" + name() + "' exceeded its active deadline of "
                        + job.activeDeadline().orElseThrow() + " and was killed");
                while (tail.size() > LOG_TAIL) {
                    tail.remove(0);
                }
            }
            finish();
            events.exited(name(), code, List.copyOf(tail));
            return;
        }
        RestartPolicy policy = ((Service) effective).restartPolicy();
        boolean restarts = policy.restartsAfter(code);
        if (!restarts) {
            List<String> tail = rt.logTail(r.id, LOG_TAIL);
            finish();
            events.exited(name(), code, tail);
        }
    }

    private void deadlinePassed() {
        if (finalReported || quiet()) {
            return;
        }
        deadlineExceeded = true;
        for (Replica r : replicas) {
            try {
                rt.client.killContainerCmd(r.id).exec();
            } catch (RuntimeException e) {
                LOG.debug("killing {} after its deadline", r.name, e);
            }
        }
    }

    private void fail(String reason) {
        if (finalReported || quiet()) {
            return;
        }
        finish();
        events.failed(name(), reason);
    }

    private void finish() {
        finalReported = true;
        cancelAll();
    }

    private void cancelAll() {
        for (Replica r : replicas) {
            r.cancel();
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // health

    private void watchHealth(Replica r, HealthCheck hc) {
        if (r.dead) {
            return;
        }
        HealthCheck.Probe probe = hc.probe();
        if (probe instanceof HealthCheck.Command command) {
            rt.pool.execute(() -> watchInside(r, hc, command));
        } else if (!(probe instanceof HealthCheck.LogLine)) {
            scheduleProbe(r, hc, 0);
        }
        if (!(probe instanceof HealthCheck.Command)) {
            // Docker does not run these checks, so Ordo applies Docker's rule itself: unhealthy once the start
            // period and `retries` intervals have passed without a pass.
            long budget = hc.startPeriod().plus(hc.interval().multipliedBy(Math.max(1, hc.retries()))).toMillis();
            r.futures.add(rt.timer.schedule(() -> queue.submit(() -> {
                if (!r.healthy && !r.dead) {
                    onUnhealthy(r, r.lastOutput.isEmpty() ? noPassMessage(hc) : r.lastOutput);
                }
            }), budget, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Runs the check in a loop inside the container, in one exec, until it passes or the fast phase ends. One
     * exec instead of one per probe: each exec costs the engine a runc invocation and three API calls, and ten
     * nodes probed every 50 ms that way saturate a small machine and slow every other container's start.
     * Images without a shell fall back to one exec per probe.
     */
    private void watchInside(Replica r, HealthCheck hc, HealthCheck.Command command) {
        if (r.healthy || r.dead || quiet()) {
            return;
        }
        StringBuilder argv = new StringBuilder();
        for (String a : command.argv()) {
            argv.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        long rounds = FAST_PHASE.toMillis() / INSIDE_PERIOD_MILLIS;
        String script = "i=0; while [ $i -lt " + rounds + " ]; do" + argv + " >/dev/null 2>&1 && exit 0; "
                + "i=$((i+1)); sleep " + (INSIDE_PERIOD_MILLIS / 1000.0) + "; done; exit 1";
        ProbeResult result;
        try {
            result = exec(r, List.of("sh", "-c", script), FAST_PHASE.plusSeconds(5));
        } catch (RuntimeException e) {
            result = new ProbeResult(false, DockerRuntime.describe(e));
        }
        ProbeResult outcome = result;
        queue.submit(() -> {
            if (outcome.ok) {
                // The loop checks every period, so on average it notices half a period after the check turned true.
                onHealthy(r, r.reused ? Duration.ZERO : Duration.ofMillis(INSIDE_PERIOD_MILLIS / 2));
            } else if (!r.healthy && !r.dead && !quiet() && (outcome.output.matches("exit code 12[67].*")
                    || outcome.output.contains("executable file not found"))) {
                scheduleProbe(r, hc, 0); // no usable shell in the image
            }
            // Otherwise the fast phase is over: Docker's own HEALTHCHECK and its health_status events decide.
        });
    }

    private static String noPassMessage(HealthCheck hc) {
        if (hc.probe() instanceof HealthCheck.LogLine l) {
            return "no output line matched /" + l.regex() + "/ within " + hc.startPeriod().plus(hc.interval()
                    .multipliedBy(Math.max(1, hc.retries())));
        }
        return "the probe never passed";
    }

    private void scheduleProbe(Replica r, HealthCheck hc, long delayMillis) {
        if (r.healthy || r.dead || quiet()) {
            return;
        }
        r.futures.add(rt.timer.schedule(() -> rt.pool.execute(() -> {
            if (r.healthy || r.dead || quiet()) {
                return;
            }
            long began = System.nanoTime();
            ProbeResult result = probe(r, hc);
            queue.submit(() -> onProbe(r, hc, began, result, delayMillis));
        }), delayMillis, TimeUnit.MILLISECONDS));
    }

    private void onProbe(Replica r, HealthCheck hc, long began, ProbeResult result, long lastDelay) {
        if (r.healthy || r.dead || quiet() || healthyReported || unhealthyReported) {
            return;
        }
        if (result.ok) {
            long now = System.nanoTime();
            // The check turned true somewhere between the previous failing probe and this one: take the middle.
            long since = r.lastFailNanos == 0 ? r.startNanos : r.lastFailNanos;
            long turnedTrue = since + (began - since) / 2;
            // A kept container was healthy before this run looked: there is no detection to measure.
            onHealthy(r, r.reused ? Duration.ZERO : positive(Duration.ofNanos(now - turnedTrue)));
            return;
        }
        r.lastFailNanos = began;
        r.lastOutput = result.output;
        boolean fast = System.nanoTime() - r.startNanos < FAST_PHASE.toNanos();
        if (fast) {
            long next = lastDelay == 0 ? FAST_FIRST_MILLIS : Math.min(FAST_CAP_MILLIS, lastDelay * 3 / 2);
            scheduleProbe(r, hc, next);
        } else if (!(hc.probe() instanceof HealthCheck.Command)) {
            scheduleProbe(r, hc, hc.interval().toMillis());
        }
        // A command check past its fast phase is left to Docker's own HEALTHCHECK and its health_status events.
    }

    private void onHealthy(Replica r, Duration latency) {
        if (r.healthy || r.dead) {
            return;
        }
        r.healthy = true;
        r.latency = latency;
        r.cancel();
        if (healthyReported || unhealthyReported || finalReported || quiet()) {
            return;
        }
        if (replicas.stream().allMatch(x -> x.healthy)) {
            healthyReported = true;
            events.healthy(name(), latency);
        }
    }

    private void onUnhealthy(Replica r, String output) {
        if (healthyReported || unhealthyReported || finalReported || quiet() || r.healthy) {
            return;
        }
        unhealthyReported = true;
        cancelAll();
        events.unhealthy(name(), output);
    }

    private String lastDockerHealthOutput(Replica r) {
        try {
            var health = rt.client.inspectContainerCmd(r.id).exec().getState().getHealth();
            if (health != null && health.getLog() != null && !health.getLog().isEmpty()) {
                var last = health.getLog().get(health.getLog().size() - 1);
                return "exit code " + last.getExitCodeLong() + ": " + (last.getOutput() == null ? ""
                        : last.getOutput().trim());
            }
        } catch (RuntimeException e) {
            LOG.debug("reading health log of {}", r.name, e);
        }
        return r.lastOutput;
    }

    private ProbeResult probe(Replica r, HealthCheck hc) {
        try {
            HealthCheck.Probe p = hc.probe();
            boolean inside = r.probeInContainer || r.ip == null || !rt.hostReachesContainers;
            if (p instanceof HealthCheck.Command c) {
                return exec(r, c.argv(), hc.timeout());
            } else if (p instanceof HealthCheck.Http h) {
                String url = "'http://127.0.0.1:" + h.port() + h.path() + "'";
                return inside
                        ? exec(r, List.of("sh", "-c", "wget -q -O /dev/null -T " + seconds(hc.timeout()) + " " + url
                                + " || curl -fsS -o /dev/null " + url), hc.timeout())
                        : http(r, h, hc.timeout());
            } else if (p instanceof HealthCheck.Tcp t) {
                return inside
                        ? exec(r, List.of("sh", "-c", "nc -z 127.0.0.1 " + t.port() + " || nc -w 1 127.0.0.1 "
                                + t.port() + " </dev/null"), hc.timeout())
                        : tcp(r, t, hc.timeout());
            }
            return new ProbeResult(false, ""); // log lines are matched as they arrive, not probed
        } catch (RuntimeException e) {
            return new ProbeResult(false, DockerRuntime.describe(e));
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(1, (d.toMillis() + 999) / 1000);
    }

    private ProbeResult exec(Replica r, List<String> argv, Duration timeout) {
        String execId = rt.client.execCreateCmd(r.id).withCmd(argv.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder out = new StringBuilder();
        var cb = rt.client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
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
                    out.append(DockerRuntime.describe(t));
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
        } catch (java.io.IOException e) {
            return new ProbeResult(false, e.toString());
        }
        Long code = rt.client.inspectExecCmd(execId).exec().getExitCodeLong();
        String text;
        synchronized (out) {
            text = out.toString().trim();
        }
        return new ProbeResult(code != null && code == 0, "exit code " + code + (text.isEmpty() ? "" : ": " + text));
    }

    private ProbeResult http(Replica r, HealthCheck.Http h, Duration timeout) {
        HttpURLConnection conn = null;
        try {
            conn = (HttpURLConnection) new URL("http", r.ip, h.port(), h.path()).openConnection();
            conn.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            conn.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            conn.setInstanceFollowRedirects(false);
            int code = conn.getResponseCode();
            return new ProbeResult(code >= 200 && code < 400, "HTTP " + code + " from GET " + h.path());
        } catch (ConnectException e) {
            return unreachable(r, e, "connection refused on port " + h.port());
        } catch (java.io.IOException e) {
            return unreachable(r, e, e.toString());
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    private ProbeResult tcp(Replica r, HealthCheck.Tcp t, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(r.ip, t.port()), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new ProbeResult(true, "connected to port " + t.port());
        } catch (ConnectException e) {
            return unreachable(r, e, "connection refused on port " + t.port());
        } catch (java.io.IOException e) {
            return unreachable(r, e, e.toString());
        }
    }

    /** Switches to in-container probing when the host cannot route to the container's address at all. */
    private ProbeResult unreachable(Replica r, Exception e, String output) {
        boolean noRoute = e instanceof NoRouteToHostException || e instanceof SocketTimeoutException
                || (e instanceof ConnectException && e.getMessage() != null
                        && !e.getMessage().contains("refused"));
        if (noRoute && ++r.unroutable >= 3) {
            r.probeInContainer = true;
        }
        return new ProbeResult(false, output);
    }

    // ---------------------------------------------------------------------------------------------------------
    // logs

    private void follow(Replica r, boolean reused) {
        follow(r, reused, runStart);
    }

    private void follow(Replica r, boolean reused, Instant cutoff) {
        HealthCheck.LogLine logLine = effective.container().healthCheck()
                .map(HealthCheck::probe)
                .filter(HealthCheck.LogLine.class::isInstance)
                .map(HealthCheck.LogLine.class::cast)
                .filter(l -> effective instanceof Service)
                .orElse(null);
        Pattern pattern = logLine == null ? null : Pattern.compile(logLine.regex());
        String id = r.id;
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        r.logEnded = ended;
        DockerRuntime.LineSplitter split = new DockerRuntime.LineSplitter(raw -> {
            Instant at = Instant.now();
            String line = raw;
            int space = raw.indexOf(' ');
            if (space > 0) {
                try {
                    at = Instant.parse(raw.substring(0, space));
                    line = raw.substring(space + 1);
                } catch (DateTimeParseException notStamped) {
                    // keep the raw line
                }
            }
            if (!at.isBefore(cutoff)) {
                events.log(name(), line);
            }
            if (pattern != null && (reused || !at.isBefore(cutoff)) && pattern.matcher(line).find()) {
                Duration latency = reused ? Duration.ZERO : positive(Duration.between(at, Instant.now()));
                queue.submit(() -> {
                    if (id.equals(r.id)) {
                        onHealthy(r, latency);
                    }
                });
            }
        });
        // The callback itself is what gets closed: closing it (not just its stream) tells docker-java the end is
        // wanted, so it does not log the interrupted read as an error.
        r.streams.add(rt.client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
                .withTimestamps(true).exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame f) {
                        split.accept(f.getStreamType(), f.getPayload());
                    }

                    @Override
                    public void onError(Throwable t) {
                        LOG.debug("log stream of {} ended: {}", r.name, t.toString());
                        ended.countDown();
                    }

                    @Override
                    public void onComplete() {
                        split.flush();
                        ended.countDown();
                    }
                }));
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private record ProbeResult(boolean ok, String output) {
    }

    /** One container of the node. */
    private final class Replica {
        final int index;
        final String name;
        volatile String id;
        volatile String ip;
        volatile java.util.concurrent.CountDownLatch logEnded;
        volatile boolean healthy;
        volatile boolean dead;
        volatile boolean probeInContainer;
        boolean reused;
        long startNanos = System.nanoTime();
        long lastFailNanos;
        int unroutable;
        String lastOutput = "";
        Duration latency = Duration.ZERO;
        final List<ScheduledFuture<?>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Closeable> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

        Replica(int index, String name) {
            this.index = index;
            this.name = name;
        }

        void awaitLogEnd(Duration limit) {
            java.util.concurrent.CountDownLatch ended = logEnded;
            if (ended != null) {
                try {
                    ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void cancel() {
            futures.forEach(f -> f.cancel(false));
            futures.clear();
            if (dead || quiet() || finalReported) {
                streams.forEach(s -> {
                    try {
                        s.close();
                    } catch (Exception e) {
                        LOG.debug("closing log stream of {}", name, e);
                    }
                });
                streams.clear();
            }
        }
    }
}
