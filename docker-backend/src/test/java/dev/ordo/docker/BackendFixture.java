package dev.ordo.docker;

import dev.ordo.Deployment;
import dev.ordo.spi.Launch;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the backend-level ITs share: a backend on the local engine (failing under CI=true when there is none), a
 * deployment name of their own, a recording listener, and clean-up of whatever a test left.
 *
 * <pre>{@code
 * class HealthChecksIT extends BackendFixture {
 *     HealthChecksIT() { super("hc"); }
 * }
 * }</pre>
 */
abstract class BackendFixture {
    static final Duration LIMIT = Duration.ofSeconds(30);
    private final String prefix;
    DockerBackend backend;
    String name;
    final RecordingEvents events = new RecordingEvents();

    BackendFixture(String prefix) {
        this.prefix = prefix;
    }

    @BeforeEach
    void openBackend() {
        backend = DockerTestSupport.backend();
        name = DockerTestSupport.uniqueName(prefix);
    }

    @AfterEach
    void cleanUp() {
        if (backend == null) {
            return; // skipped locally: no engine to clean up
        }
        DockerTestSupport.purge(name);
        backend.close();
    }

    /** Prepares {@code d} and starts its node {@code node}, reporting to {@link #events}. */
    void start(Deployment d, String node) {
        backend.prepare(d);
        backend.start(new Launch(d, d.requireNode(node), false), events);
    }
}
