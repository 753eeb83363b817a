package dev.ordo.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A dockerd of the test's own, beside the machine's engines, for a test that stops and starts it: its own socket
 * ({@code unix:///run/ordo-rpg.sock}), data root ({@code /var/lib/ordo-real-postgres-engine}, kept between runs so
 * that an image loaded once stays), exec root, pid file and address pool, no default bridge and no iptables rules.
 * Needs root and {@code dockerd}; under CI=true a test fails without them, elsewhere it is skipped.
 *
 * <pre>{@code
 * try (PrivateEngine engine = PrivateEngine.start()) {
 *     DockerBackend.connect(engine.uri());
 *     engine.restart();    // SIGTERM, wait for it to end, start it again on the same roots
 * }
 * }</pre>
 */
final class PrivateEngine implements AutoCloseable {
    private static final Path DATA_ROOT = Path.of("/var/lib/ordo-real-postgres-engine");
    private static final Path EXEC_ROOT = Path.of("/run/ordo-rpg");
    private static final Path SOCKET = Path.of("/run/ordo-rpg.sock");
    private static final Path PID_FILE = Path.of("/run/ordo-rpg.pid");
    private static final Path LOG = Path.of("/tmp/ordo-real-postgres-engine.log");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private PrivateEngine() {
    }

    /** Starts the engine (or takes over the one a killed test run left answering) and waits until it answers. */
    static PrivateEngine start() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean dockerd = Files.isExecutable(Path.of("/usr/sbin/dockerd")) || Files.isExecutable(Path.of(
                "/usr/bin/dockerd"));
        if (!root || !dockerd) {
            String msg = "this test starts and stops a dockerd of its own, which needs root and dockerd (" + (root
                    ? "dockerd is not installed: run scripts/ensure-docker.sh" : "run the tests as root") + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true: " + msg);
            }
            Assumptions.abort(msg);
        }
        PrivateEngine engine = new PrivateEngine();
        if (!engine.answers()) {
            engine.launch();
        }
        return engine;
    }

    URI uri() {
        return URI.create("unix://" + SOCKET);
    }

    /** Stops the engine with SIGTERM, as a service manager does, waits for it to end, and starts it again. */
    void restart() {
        stop();
        launch();
    }

    private void launch() {
        try {
            Files.createDirectories(DATA_ROOT);
            Files.createDirectories(EXEC_ROOT);
            Files.deleteIfExists(SOCKET);
            Files.deleteIfExists(PID_FILE);
            // a dockerd that died leaves its containerd's pid file behind, and the next containerd would not start
            Files.deleteIfExists(EXEC_ROOT.resolve("containerd").resolve("containerd.pid"));
            new ProcessBuilder(List.of("dockerd", "--host", uri().toString(), "--data-root", DATA_ROOT.toString(),
                    "--exec-root", EXEC_ROOT.toString(), "--pidfile", PID_FILE.toString(), "--bridge", "none",
                    "--iptables=false", "--default-address-pool", "base=10.231.0.0/16,size=24"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start dockerd (" + e + "); see " + LOG, e);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                fail("the test's own dockerd did not answer on " + uri() + " within " + WAIT.toSeconds()
                        + " s; see " + LOG);
            }
            pause();
        }
    }

    private void stop() {
        ProcessHandle dockerd = pid().flatMap(ProcessHandle::of).orElse(null);
        if (dockerd == null) {
            return;
        }
        dockerd.destroy(); // SIGTERM: dockerd stops its containers with their stop signals, then ends
        try {
            dockerd.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fail("the test's own dockerd (pid " + dockerd.pid() + ") did not end within " + WAIT.toSeconds()
                    + " s of SIGTERM; see " + LOG);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private java.util.Optional<Long> pid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(PID_FILE).strip()));
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private boolean answers() {
        if (!Files.exists(SOCKET)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("docker", "-H", uri().toString(), "version", "--format",
                    "{{.Server.Version}}").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // polling a condition (the socket answers), bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Stops the engine; its data root (with the images loaded) stays for the next run. */
    @Override
    public void close() {
        stop();
    }
}
