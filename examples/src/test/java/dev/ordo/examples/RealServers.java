package dev.ordo.examples;

import dev.ordo.spi.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * What the real-server tests read from the engine itself, through the docker command line rather than through Ordo:
 * containers found by the labels Ordo puts on them, their output with the engine's timestamps
 * ({@code docker logs -t}), their start and finish instants ({@code docker inspect}), commands run in them, and what
 * is left of a deployment. Also the rules of every Docker test here: no engine, or no real image, fails the test when
 * {@code CI=true} (CI starts the engine and runs {@code scripts/real-images.sh} first) and skips it elsewhere, with
 * the fix.
 */
final class RealServers {
    /** One line of a container's output, with the instant the engine received it. */
    record Line(Instant at, String text) {
        @Override
        public String toString() {
            return at + " " + text;
        }
    }

    /** What a command printed and how it exited. */
    record Result(int code, String out) {
    }

    private RealServers() {
    }

    /** A Docker engine answers here, or the test fails (CI) or is skipped (elsewhere). */
    static void requireDocker() {
        boolean reachable = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!reachable) {
            unavailable("no Docker engine here; run scripts/ensure-docker.sh as root, then mvn verify");
        }
    }

    /** The images are on the engine, or the test fails (CI) or is skipped (elsewhere), naming the script. */
    static void requireImages(String... images) {
        requireDocker();
        List<String> missing = new ArrayList<>();
        for (String image : images) {
            Result r;
            try {
                r = run("docker", "image", "inspect", "--format", "{{.Id}}", image);
            } catch (AssertionError noCli) {
                unavailable("the docker command does not run here (" + noCli.getMessage() + "); install the Docker CLI"
                        + " (scripts/ensure-docker.sh), then mvn verify");
                return;
            }
            if (r.code() != 0) {
                missing.add(image);
            }
        }
        if (!missing.isEmpty()) {
            unavailable("real server image(s) " + missing + " not on the engine; build them with "
                    + RealImages.BUILD_SCRIPT + " (as root), then mvn verify");
        }
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires it: " + why);
        }
        Assumptions.abort(why);
    }

    /** A deployment name no other test run uses: {@code prefix-} and six hex digits. */
    static String uniqueName(String prefix) {
        return prefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    }

    /** The id of the container of {@code node} of {@code deployment} (not of a triggered run), which must exist. */
    static String container(String deployment, String node) {
        List<String> ids = run("docker", "ps", "-aq", "--no-trunc", "--filter", "label=" + Labels.DEPLOYMENT + "="
                + deployment, "--filter", "label=" + Labels.NODE + "=" + node).out().lines()
                .filter(l -> !l.isBlank()).toList();
        List<String> own = ids.stream().filter(id -> inspect(id, "{{index .Config.Labels \"" + Labels.RUN + "\"}}")
                .isEmpty()).toList();
        if (own.size() != 1) {
            throw new AssertionError("expected one container of node '" + node + "' of '" + deployment + "', found "
                    + own.size());
        }
        return own.get(0);
    }

    /** {@code docker inspect --format format id}, trimmed. */
    static String inspect(String id, String format) {
        Result r = run("docker", "inspect", "--format", format, id);
        if (r.code() != 0) {
            throw new AssertionError("docker inspect " + id + ": " + r.out());
        }
        return r.out().strip();
    }

    /** When the container's process last started, by the engine. */
    static Instant startedAt(String id) {
        return Instant.parse(inspect(id, "{{.State.StartedAt}}"));
    }

    /** When the container's process last exited, by the engine. */
    static Instant finishedAt(String id) {
        return Instant.parse(inspect(id, "{{.State.FinishedAt}}"));
    }

    /** The container's output so far (stdout and stderr), each line with the engine's timestamp. */
    static List<Line> logs(String id) {
        Result r = run("docker", "logs", "-t", id);
        if (r.code() != 0) {
            throw new AssertionError("docker logs " + id + ": " + r.out());
        }
        List<Line> lines = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            int sp = l.indexOf(' ');
            if (sp > 0 && Character.isDigit(l.charAt(0))) {
                try {
                    lines.add(new Line(Instant.parse(l.substring(0, sp)), l.substring(sp + 1)));
                } catch (java.time.format.DateTimeParseException notATimestamp) {
                    // a continuation of a line without its own timestamp: not ours to read
                }
            }
        }
        lines.sort(java.util.Comparator.comparing(Line::at));
        return lines;
    }

    /** The first line of the container's output containing {@code text}, if any. */
    static Optional<Line> firstLine(String id, String text) {
        return logs(id).stream().filter(l -> l.text().contains(text)).findFirst();
    }

    /** The first line containing {@code text} after the first line matching {@code after}, if both exist. */
    static Optional<Line> lineAfter(String id, Predicate<String> after, String text) {
        List<Line> all = logs(id);
        for (int i = 0; i < all.size(); i++) {
            if (after.test(all.get(i).text())) {
                return all.subList(i + 1, all.size()).stream().filter(l -> l.text().contains(text)).findFirst();
            }
        }
        return Optional.empty();
    }

    /** Runs {@code argv} in the container; its exit code and output (stdout then stderr). */
    static Result exec(String id, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", id));
        cmd.addAll(List.of(argv));
        return run(cmd.toArray(String[]::new));
    }

    /** The containers, volumes and networks labelled as {@code deployment}'s, and its secret files: none once down. */
    static List<String> leftovers(String deployment) {
        List<String> left = new ArrayList<>();
        String label = "label=" + Labels.DEPLOYMENT + "=" + deployment;
        run("docker", "ps", "-a", "--filter", label, "--format", "container {{.Names}}").out().lines()
                .filter(l -> !l.isBlank()).forEach(left::add);
        run("docker", "volume", "ls", "--filter", label, "--format", "volume {{.Name}}").out().lines()
                .filter(l -> !l.isBlank()).forEach(left::add);
        run("docker", "network", "ls", "--filter", label, "--format", "network {{.Name}}").out().lines()
                .filter(l -> !l.isBlank()).forEach(left::add);
        Path secrets = Path.of("/dev/shm/ordo-secrets", deployment);
        if (Files.exists(secrets)) {
            left.add("secret files " + secrets);
        }
        return left;
    }

    /** Runs a command to its end (two minutes at most): its exit code and output (stdout then stderr). */
    static Result run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not end within two minutes");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + argv[0], e);
        }
    }
    /** After a test: {@code deployment} down with its volumes (when the test got as far as a backend), the backend closed. */
    static void downAndClose(dev.ordo.docker.DockerBackend docker, dev.ordo.Deployment deployment) {
        if (docker == null) {
            return;
        }
        try {
            dev.ordo.run.Orchestrator.using(docker).down(deployment, dev.ordo.run.DownOptions.defaults()
                    .removeVolumes(true));
        } finally {
            docker.close();
        }
    }
}
