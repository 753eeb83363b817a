package dev.ordo.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.docker.internal.DockerRuntime;
import dev.ordo.Plan;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ordo versus docker-compose on the CLP stand-in topology, on one engine: time until every node is ready or
 * complete, the critical-path lower bound, teardown time, and Ordo's readiness-detection latency (as it reports it
 * and as measured against the engine's own log timestamps). Run it with {@code bench/docker/run.sh}.
 *
 * <pre>{@code
 * java -cp ... dev.ordo.docker.DockerBenchmark --runs 3 --compose docker-compose
 * }</pre>
 */
public final class DockerBenchmark {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private DockerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        String compose = "docker-compose";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--compose" -> compose = args[++i];
                case "--no-compose" -> compose = "";
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --runs N, --compose PATH or --no-compose");
            }
        }
        Deployment clp = dev.ordo.ClpTopology.rehearsal("bench-ordo", INTERVAL).build();
        Map<String, Duration> delays = ClpStandIns.delays(clp, Duration.ofSeconds(1), Duration.ofSeconds(2));
        StandIns standIns = ClpStandIns.standIns(delays);
        Plan plan = clp.plan();
        Duration critical = plan.criticalPath(n -> delays.get(n.name())).length();
        System.out.printf(Locale.ROOT, "CLP stand-in topology: %d nodes, readiness 1-2 s per node, health interval %s%n",
                plan.size(), INTERVAL);
        System.out.printf(Locale.ROOT, "critical path (sum of stand-in delays): %s = %.2f s%n",
                plan.criticalPath(n -> delays.get(n.name())).nodes(), secs(critical));

        List<Double> ordoUp = new ArrayList<>();
        List<Double> ordoDown = new ArrayList<>();
        List<Double> reported = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> composeUp = new ArrayList<>();
        List<Double> composeUpCmd = new ArrayList<>();
        List<Double> composeDown = new ArrayList<>();
        List<Double> startLatency = new ArrayList<>();
        try (DockerBackend docker = DockerBackend.local().withStandIns(standIns);
             DockerRuntime runtime = DockerRuntime.connect(docker.host())) {
            runtime.ensureStandInImage();
            DockerTestSupport.purge(clp.name());
            Path composeFile = Files.createTempFile("ordo-bench-compose", ".yml");
            Files.writeString(composeFile, composeYaml(clp, standIns));
            for (int run = 1; run <= runs; run++) {
                Orchestrator ordo = Orchestrator.using(docker).timeout(Duration.ofMinutes(3));
                long t0 = System.nanoTime();
                RunReport up = ordo.up(plan);
                double upS = (System.nanoTime() - t0) / 1e9;
                if (!up.succeeded()) {
                    throw new IllegalStateException("Ordo up failed:\n" + up.render());
                }
                measured.addAll(measuredDetection(up, clp.name()));
                startLatency.add(startLatencyOnCriticalPath(up));
                up.medianDetectionLatency().ifPresent(d -> reported.add(d.toNanos() / 1e6));
                long t1 = System.nanoTime();
                RunReport down = (System.getenv("ORDO_BENCH_VERBOSE") != null
                        ? Orchestrator.using(docker).listener(e -> System.out.println(e.at() + " " + e.node() + " "
                                + e.type())) : ordo).down(clp, DownOptions.defaults().removeVolumes(true));
                double downS = (System.nanoTime() - t1) / 1e9;
                if (!down.succeeded()) {
                    throw new IllegalStateException("Ordo down failed:\n" + down.render());
                }
                ordoUp.add(upS);
                ordoDown.add(downS);
                if (System.getenv("ORDO_BENCH_VERBOSE") != null) {
                    System.out.println(up.render());
                    System.out.println(down.render());
                }
                System.out.printf(Locale.ROOT, "run %d  ordo: up %.2f s, down %.2f s, reported median detection %s%n",
                        run, upS, downS, up.medianDetectionLatency().map(Duration::toString).orElse("-"));
                if (!compose.isEmpty()) {
                    double[] c = composeRun(compose, composeFile, plan);
                    composeUpCmd.add(c[0]);
                    composeUp.add(c[1]);
                    composeDown.add(c[2]);
                    System.out.printf(Locale.ROOT, "run %d  docker-compose: up -d returned %.2f s, all ready %.2f s, "
                            + "down %.2f s%n", run, c[0], c[1], c[2]);
                }
            }
        }
        double cp = secs(critical);
        System.out.println();
        System.out.printf(Locale.ROOT, "median of %d runs%n", runs);
        System.out.printf(Locale.ROOT, "  critical-path lower bound     %6.2f s%n", cp);
        System.out.printf(Locale.ROOT, "  ordo up (all ready/complete)  %6.2f s   = %.2f x critical path%n",
                median(ordoUp), median(ordoUp) / cp);
        if (!composeUp.isEmpty()) {
            System.out.printf(Locale.ROOT, "  docker-compose up (all ready) %6.2f s   = %.2f x critical path "
                    + "(up -d itself returned after %.2f s)%n", median(composeUp), median(composeUp) / cp,
                    median(composeUpCmd));
            System.out.printf(Locale.ROOT, "  up ratio ordo / compose       %6.2f%n", median(ordoUp) / median(composeUp));
        }
        System.out.printf(Locale.ROOT, "  of which container starts on Ordo's critical path (requested -> running) %.2f s;"
                + " bound + starts = %.2f s, ordo up = %.2f x that%n", median(startLatency),
                cp + median(startLatency), median(ordoUp) / (cp + median(startLatency)));
        System.out.printf(Locale.ROOT, "  ordo down                     %6.2f s%n", median(ordoDown));
        if (!composeDown.isEmpty()) {
            System.out.printf(Locale.ROOT, "  docker-compose down -v        %6.2f s%n", median(composeDown));
            System.out.printf(Locale.ROOT, "  down ratio ordo / compose     %6.2f%n",
                    median(ordoDown) / median(composeDown));
        }
        System.out.printf(Locale.ROOT, "  detection latency, median of Ordo's reports        %6.1f ms%n",
                median(reported));
        System.out.printf(Locale.ROOT, "  detection latency, median vs engine log timestamps %6.1f ms (%d nodes)%n",
                median(measured), measured.size());
    }

    /**
     * The time the engine spent starting containers (from Ordo's request to the container running) along the run's
     * critical path: Docker's own cost, which the bound of stand-in delays leaves out.
     */
    private static double startLatencyOnCriticalPath(RunReport up) {
        double sum = 0;
        for (String node : up.criticalPath()) {
            NodeTimeline t = up.node(node);
            if (t.requested().isPresent() && t.started().isPresent()) {
                sum += secs(t.started().get().minus(t.requested().get()));
            }
        }
        return sum;
    }

    /**
     * For each service, how long after its stand-in printed the ready line (engine log timestamp; it prints it
     * just after making its check pass) the engine recorded it ready.
     */
    private static List<Double> measuredDetection(RunReport up, String deployment) {
        List<Double> out = new ArrayList<>();
        for (Container c : DockerTestSupport.containers(deployment)) {
            String node = c.getLabels().get(Labels.NODE);
            NodeTimeline t = up.node(node);
            if (t.kind() != Node.Kind.SERVICE || t.ready().isEmpty()) {
                continue;
            }
            Instant line = readyLine(c.getId());
            if (line != null) {
                Instant ready = up.startedAt().plus(t.ready().get());
                out.add(Duration.between(line, ready).toNanos() / 1e6);
            }
        }
        return out;
    }

    private static Instant readyLine(String id) {
        List<String> lines = new ArrayList<>();
        try {
            DockerTestSupport.client().logContainerCmd(id).withStdOut(true).withTimestamps(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame f) {
                            lines.addAll(List.of(new String(f.getPayload(), StandardCharsets.UTF_8).split("\n")));
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines.stream().filter(l -> l.endsWith(" " + StandInRewrite.READY_LINE))
                .map(l -> Instant.parse(l.substring(0, l.indexOf(' ')))).findFirst().orElse(null);
    }

    /** Returns {up -d returned, every node ready or complete, down -v} in seconds. */
    private static double[] composeRun(String compose, Path file, Plan plan) throws Exception {
        String project = "benchcompose";
        run(compose, "-p", project, "-f", file.toString(), "down", "-v", "--remove-orphans");
        long t0 = System.nanoTime();
        Process up = new ProcessBuilder(compose, "-p", project, "-f", file.toString(), "up", "-d")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        double upCmd = -1;
        double ready = -1;
        while (ready < 0) {
            if (upCmd < 0 && !up.isAlive()) {
                upCmd = (System.nanoTime() - t0) / 1e9;
                if (up.exitValue() != 0) {
                    throw new IllegalStateException("docker-compose up failed; run it by hand on " + file);
                }
            }
            List<Container> cs = DockerTestSupport.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("com.docker.compose.project", project)).exec();
            int done = 0;
            for (Container c : cs) {
                String status = c.getStatus() == null ? "" : c.getStatus();
                if (status.contains("(healthy)") || status.startsWith("Exited (0)")) {
                    done++;
                }
            }
            if (done == plan.size()) {
                ready = (System.nanoTime() - t0) / 1e9;
            } else if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(3)) {
                throw new IllegalStateException("docker-compose did not bring every node up within 3 minutes");
            } else {
                Thread.sleep(20); // the benchmark's own observation of compose; not part of Ordo
            }
        }
        up.waitFor(60, TimeUnit.SECONDS);
        if (upCmd < 0) {
            upCmd = (System.nanoTime() - t0) / 1e9;
        }
        long t1 = System.nanoTime();
        run(compose, "-p", project, "-f", file.toString(), "down", "-v");
        double down = (System.nanoTime() - t1) / 1e9;
        return new double[] {upCmd, ready, down};
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /**
     * The equivalent compose file: the same stand-in scripts, health-check timing and dependency conditions.
     * Compose health checks can only run commands, so every stand-in's check is its ready file (which every
     * stand-in creates at the moment it becomes ready, whatever its probe kind).
     */
    static String composeYaml(Deployment d, StandIns standIns) throws IOException {
        Map<String, Object> services = new LinkedHashMap<>();
        Map<String, Object> volumes = new LinkedHashMap<>();
        for (Node original : d.nodes()) {
            Node n = StandInRewrite.of(original, standIns, 1);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("image", n.container().image());
            s.put("entrypoint", n.container().entrypoint());
            if (!n.container().environment().isEmpty()) {
                s.put("environment", n.container().environment());
            }
            s.put("stop_grace_period", n.container().stopGracePeriod().toSeconds() + "s");
            List<String> vols = new ArrayList<>();
            for (Mount m : n.container().mounts()) {
                if (m.type() == Mount.Type.VOLUME) {
                    vols.add(m.source() + ":" + m.target());
                    volumes.put(m.source(), Map.of());
                }
            }
            if (!vols.isEmpty()) {
                s.put("volumes", vols);
            }
            n.container().healthCheck().ifPresent(hc -> s.put("healthcheck", Map.of(
                    "test", List.of("CMD", "test", "-e", StandInRewrite.READY_FILE),
                    "interval", hc.interval().toMillis() + "ms",
                    "timeout", hc.timeout().toMillis() + "ms",
                    "retries", hc.retries(),
                    "start_period", hc.startPeriod().toMillis() + "ms")));
            if (!n.dependencies().isEmpty()) {
                Map<String, Object> deps = new LinkedHashMap<>();
                n.dependencies().forEach(dep -> deps.put(dep.target(), Map.of("condition", switch (dep.condition()) {
                    case STARTED -> "service_started";
                    case HEALTHY -> "service_healthy";
                    case COMPLETED_SUCCESSFULLY -> "service_completed_successfully";
                })));
                s.put("depends_on", deps);
            }
            if (n instanceof Job) {
                s.put("restart", "no");
            }
            services.put(n.name(), s);
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("services", services);
        if (!volumes.isEmpty()) {
            file.put("volumes", volumes);
        }
        // YAML is a superset of JSON, so compose reads this as it is; $ is compose's interpolation character.
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(file).replace("$", "$$");
    }

    private static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

}
