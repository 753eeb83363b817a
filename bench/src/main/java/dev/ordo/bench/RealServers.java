package dev.ordo.bench;

import dev.ordo.Plan;
import dev.ordo.compose.ComposeFile;
import dev.ordo.compose.ComposeImport;
import dev.ordo.docker.DockerBackend;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Ordo versus docker-compose on real servers: one compose file (bench/real/clp-real.yml: CLP's topology with
 * MariaDB, RabbitMQ and Redis from Debian's packages, a table-creating job on the real client, stand-ins for the
 * rest) brought up by Ordo (ordo-compose, Docker backend) and by docker-compose, alternately, on the same engine:
 * time until every service is healthy and every job done, and the time of {@code down -v}; medians and their ratio.
 * Prints figures; asserts nothing.
 *
 * <pre>{@code
 * bench/real/run.sh            # 3 runs each
 * bench/real/run.sh 5
 * }</pre>
 */
public final class RealServers {
    private RealServers() {
    }

    /** Runs {@code args[0]} (default 3) alternating runs of each tool on {@code args[1]} (the compose file). */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path file = Path.of(args.length > 1 ? args[1] : "bench/real/clp-real.yml").toAbsolutePath();
        Path dir = Files.createTempDirectory("ordo-real-bench");
        Path copy = dir.resolve("clp-real.yml");
        Files.copy(file, copy);
        Files.writeString(dir.resolve("db-password.txt"), "bench-password");
        ComposeImport imported = ComposeFile.at(copy).projectName("clprealordo").load();
        Plan plan = imported.deployment().plan(imported.selection());
        int nodes = plan.nodes().size();
        List<Double> ordoUp = new ArrayList<>();
        List<Double> ordoDown = new ArrayList<>();
        List<Double> composeUp = new ArrayList<>();
        List<Double> composeDown = new ArrayList<>();
        try (DockerBackend docker = DockerBackend.local()) {
            docker.ensureStandInImage(); // the stand-ins' image, for both tools
            Orchestrator ordo = Orchestrator.using(docker).timeout(Duration.ofMinutes(3));
            ordo.down(plan.deployment(), DownOptions.defaults().removeVolumes(true));
            run(copy, "down", "-v", "--remove-orphans");
            for (int i = 1; i <= runs; i++) {
                long t0 = System.nanoTime();
                RunReport up = ordo.up(plan);
                double u = secs(t0);
                if (!up.succeeded()) {
                    ordo.down(plan.deployment(), DownOptions.defaults().removeVolumes(true)); // nothing left running
                    throw new IllegalStateException("Ordo's up failed:\n" + up.render());
                }
                long t1 = System.nanoTime();
                RunReport down = ordo.down(plan.deployment(), DownOptions.defaults().removeVolumes(true));
                double d = secs(t1);
                if (!down.succeeded()) {
                    throw new IllegalStateException("Ordo's down failed:\n" + down.render());
                }
                ordoUp.add(u);
                ordoDown.add(d);
                double[] c = compose(copy, nodes);
                composeUp.add(c[0]);
                composeDown.add(c[1]);
                System.out.printf(Locale.ROOT, "run %d  ordo up %.2f s, down %.2f s  |  docker-compose up %.2f s,"
                        + " down %.2f s%n", i, u, d, c[0], c[1]);
                StringBuilder servers = new StringBuilder("       ready at (ordo | compose):");
                for (int k = 0; k < SERVERS.size(); k++) {
                    NodeTimeline n = up.node(SERVERS.get(k));
                    servers.append(String.format(Locale.ROOT, "  %s %s (detected +%s ms) | %.1f s", n.node(),
                            n.ready().map(r -> String.format(Locale.ROOT, "%.1f s", r.toMillis() / 1000.0))
                                    .orElse("?"), n.detectionLatency().map(l -> Long.toString(l.toMillis()))
                                    .orElse("?"), c[2 + k]));
                }
                System.out.println(servers);
            }
        }
        System.out.printf(Locale.ROOT, "%nreal servers (%d nodes), median of %d runs:%n", nodes, runs);
        System.out.printf(Locale.ROOT, "  up, every service healthy and job done: ordo %.2f s, docker-compose %.2f s,"
                + " ratio %.2f%n", median(ordoUp), median(composeUp), median(ordoUp) / median(composeUp));
        System.out.printf(Locale.ROOT, "  down -v:                                ordo %.2f s, docker-compose %.2f s,"
                + " ratio %.2f%n", median(ordoDown), median(composeDown), median(ordoDown) / median(composeDown));
    }

    /** The real servers whose ready instants are printed. */
    private static final List<String> SERVERS = List.of("database", "queue", "redis");

    /**
     * docker-compose up -d, polled until every container is healthy or exited 0; then down -v. Returns the up time,
     * the down time and when each of {@link #SERVERS} was first seen healthy.
     */
    private static double[] compose(Path file, int nodes) throws Exception {
        long t0 = System.nanoTime();
        double[] result = new double[2 + SERVERS.size()];
        java.util.Arrays.fill(result, -1);
        Process up = new ProcessBuilder("docker-compose", "-p", "clprealcompose", "-f", file.toString(), "up", "-d")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        double ready = -1;
        while (ready < 0) {
            List<String> named = out("docker", "ps", "-a", "--filter", "label=com.docker.compose.project=clprealcompose",
                    "--format", "{{.Label \"com.docker.compose.service\"}} {{.Status}}");
            for (String line : named) {
                int k = SERVERS.indexOf(line.substring(0, line.indexOf(' ')));
                if (k >= 0 && result[2 + k] < 0 && line.contains("(healthy)")) {
                    result[2 + k] = secs(t0);
                }
            }
            List<String> status = named.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
            long done = status.stream().filter(s -> s.contains("(healthy)") || s.startsWith("Exited (0)")
                    || s.startsWith("Up") && !s.contains("(")).count();
            if (done == nodes && !up.isAlive()) {
                ready = secs(t0);
            } else if (secs(t0) > 300) {
                run(file, "down", "-v");
                throw new IllegalStateException("docker-compose did not bring every node up within 5 minutes: "
                        + status);
            } else {
                Thread.sleep(50); // the benchmark's own observation of compose; not part of Ordo
            }
        }
        if (up.exitValue() != 0) {
            run(file, "down", "-v");
            throw new IllegalStateException("docker-compose up failed; run it by hand on " + file);
        }
        long t1 = System.nanoTime();
        run(file, "down", "-v");
        result[0] = ready;
        result[1] = secs(t1);
        return result;
    }

    private static void run(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-p", "clprealcompose", "-f", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    private static List<String> out(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
