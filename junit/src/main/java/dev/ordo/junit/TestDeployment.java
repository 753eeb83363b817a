package dev.ordo.junit;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.run.DownOptions;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import dev.ordo.spi.ExecResult;
import dev.ordo.spi.NodeAccess;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A deployment under test: what to bring up, where, and, once the {@link OrdoExtension} brought it up, the handle a
 * test uses — the run report, a service's address, its logs, a command run in it, the living deployment. Each up
 * runs under a unique instance name ({@code <name>-<6 hex>}), so that parallel test classes and parallel CI jobs on
 * one engine never touch each other's containers, networks or volumes.
 *
 * <pre>{@code
 * @Deployed
 * static final TestDeployment SHOP = TestDeployment.of(shop).onDocker();   // a real engine
 * @Deployed
 * static final TestDeployment PLAN = TestDeployment.of(shop).on(SimulatedBackend.create()
 *         .readyAfter("db", Duration.ofSeconds(5)));                         // virtual time
 * }</pre>
 */
public final class TestDeployment implements AutoCloseable {
    private final Deployment definition;
    private final Supplier<Backend> backends;
    private final boolean ownsBackend;
    private final boolean living;
    private final Duration timeout;
    /** Empty: kill at once on teardown, as Testcontainers removes its containers; else each node's own grace. */
    private final boolean graceful;

    private Backend backend;
    private Deployment instance;
    private RunReport report;
    private LiveDeployment live;

    private TestDeployment(Deployment definition, Supplier<Backend> backends, boolean ownsBackend, boolean living,
                           Duration timeout, boolean graceful) {
        this.definition = definition;
        this.backends = backends;
        this.ownsBackend = ownsBackend;
        this.living = living;
        this.timeout = timeout;
        this.graceful = graceful;
    }

    /** {@code deployment} on the simulated backend (virtual time), until told {@link #onDocker()} or {@link #on}. */
    public static TestDeployment of(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment == null");
        return new TestDeployment(deployment, SimulatedBackend::create, true, false, Duration.ofMinutes(2), false);
    }

    /**
     * On the local Docker engine ({@code DOCKER_HOST}, else {@code /var/run/docker.sock}), with every declared
     * container port published on a free loopback port ({@link #address}) and a session reaper, so that a JVM
     * that dies mid-test leaves nothing. Needs {@code ordo-docker} on the test class path.
     */
    public TestDeployment onDocker() {
        return new TestDeployment(definition, DockerBackends::forTests, true, living, timeout, graceful);
    }

    /**
     * On {@code backend}: e.g. a scripted {@link SimulatedBackend}, or a configured {@code DockerBackend}. The
     * extension does not close a backend it was given.
     */
    public TestDeployment on(Backend backend) {
        Objects.requireNonNull(backend, "backend == null");
        return new TestDeployment(definition, () -> backend, false, living, timeout, graceful);
    }

    /** Brought up as a living deployment ({@code Orchestrator.start}): triggers fire, {@link #live()} is its handle. */
    public TestDeployment living() {
        return new TestDeployment(definition, backends, ownsBackend, true, timeout, graceful);
    }

    /** The most each node may take to be ready (default 2 minutes). */
    public TestDeployment timeout(Duration perNode) {
        return new TestDeployment(definition, backends, ownsBackend, living,
                Objects.requireNonNull(perNode, "perNode == null"), graceful);
    }

    /**
     * Torn down gracefully: each node gets its stop signal and its own grace period, in reverse dependency order,
     * as {@code down} does — for a test that checks a clean shutdown. By default a test deployment is killed at once
     * (grace period zero, still in reverse order), as Testcontainers removes its containers, so that a process that
     * ignores SIGTERM does not hold the test for its grace period.
     */
    public TestDeployment gracefulTeardown() {
        return new TestDeployment(definition, backends, ownsBackend, living, timeout, true);
    }

    void up() {
        if (report != null) {
            return;
        }
        backend = backends.get();
        instance = definition.renamed(definition.name() + "-" + UUID.randomUUID().toString().substring(0, 6));
        Orchestrator ordo = Orchestrator.using(backend).timeout(timeout).failurePolicy(FailurePolicy.STOP_SCHEDULING);
        if (living) {
            live = ordo.start(instance.plan());
            report = live.startup();
        } else {
            report = ordo.up(instance.plan());
        }
        if (!report.succeeded()) {
            throw new OrdoException("the test deployment '" + definition.name() + "' did not come up; it is torn"
                    + " down after the tests.\n" + report.render());
        }
    }

    /**
     * Tears the instance down (containers, network, volumes), killing at once unless {@link #gracefulTeardown()},
     * and closes the backend it created.
     */
    @Override
    public void close() {
        if (backend == null) {
            return;
        }
        try {
            if (live != null) {
                live.close(LiveDeployment.CloseMode.CANCEL);
            }
            DownOptions down = DownOptions.defaults().removeVolumes(true);
            Orchestrator.using(backend).down(instance, graceful ? down : down.gracePeriod(Duration.ZERO));
        } finally {
            if (ownsBackend) {
                backend.close();
            }
            backend = null;
        }
    }

    private void requireUp(String what) {
        if (report == null) {
            throw new IllegalStateException("the test deployment '" + definition.name() + "' is not up, so its "
                    + what + " is unknown; annotate the field with @Deployed (static for once per class)");
        }
    }

    /** The up's run report: node states, timelines, critical path; assert on it with {@code ReportAssert}. */
    public RunReport report() {
        requireUp("report");
        return report;
    }

    /** The deployment as brought up, under its unique instance name. */
    public Deployment deployment() {
        requireUp("instance");
        return instance;
    }

    /** The backend it runs on. */
    public Backend backend() {
        requireUp("backend");
        return backend;
    }

    /**
     * {@code host:port} at which this test reaches container port {@code port} of {@code node}.
     *
     * @throws OrdoException naming the node and port when it is not published (declare it with {@code .port(n)})
     */
    public String address(String node, int port) {
        requireUp("address");
        Optional<String> a = backend instanceof NodeAccess access ? access.address(instance, node, port)
                : Optional.empty();
        return a.orElseThrow(() -> new OrdoException("node '" + node + "' has no published port " + port + " on the "
                + backend.name() + " backend; declare it on the node with .port(" + port + ") and run the test on"
                + " Docker (TestDeployment.onDocker())"));
    }

    /** What {@code node}'s first replica printed so far. */
    public List<String> logs(String node) {
        requireUp("logs");
        return NodeAccess.of(backend, node).logs(instance, node);
    }

    /** Runs {@code argv} in {@code node}'s first running replica and returns its exit code and output. */
    public ExecResult exec(String node, String... argv) {
        requireUp("exec");
        return NodeAccess.of(backend, node).exec(instance, node, List.of(argv));
    }

    /** The living deployment's handle (trigger runs, resize pools, restart nodes). */
    public LiveDeployment live() {
        requireUp("living handle");
        if (live == null) {
            throw new IllegalStateException("the test deployment '" + definition.name() + "' was brought up once,"
                    + " not as a living deployment; declare it with TestDeployment.of(...).living()");
        }
        return live;
    }
}
