package dev.ordo.bench;

import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.StandIns;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.testing.SimulatedBackend;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Figures for living deployments, printed, never asserted:
 * <ul>
 *   <li>{@code virtual}: 30 virtual days of 100 cron triggers on the simulated backend, wall time;</li>
 *   <li>{@code triggers}: a handle with 1,000 cron triggers on the local Docker engine, heap and threads;</li>
 *   <li>{@code jitter}: fire-time jitter of an interval trigger on the local Docker engine.</li>
 * </ul>
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.ordo.bench.LivingBenchmark jitter 100
 * }</pre>
 */
public final class LivingBenchmark {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private LivingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "virtual";
        switch (what) {
            case "virtual" -> virtualDays(args.length > 1 ? Integer.parseInt(args[1]) : 100, 30);
            case "triggers" -> manyTriggers(args.length > 1 ? Integer.parseInt(args[1]) : 1000);
            case "jitter" -> jitter(args.length > 1 ? Integer.parseInt(args[1]) : 100);
            default -> throw new IllegalArgumentException("unknown benchmark '" + what
                    + "'; use virtual, triggers or jitter");
        }
    }

    /** One service, one on-demand job, {@code n} cron triggers at spread-out minutes and hourly cadences. */
    static Deployment withTriggers(String name, int n) {
        Deployment.Builder b = Deployment.builder(name)
                .service("db", s -> s.image("postgres:14").port(5432).healthCheck(HealthCheck.tcp(5432)))
                .job("task", j -> j.image("task:1").onDemand().dependsOn("db", dev.ordo.Condition.HEALTHY));
        for (int i = 0; i < n; i++) {
            String cron = (i % 60) + " */" + (1 + i % 6) + " * * *";
            String trigger = "t" + i;
            b.trigger(trigger, t -> t.target("task").cron(cron).env("TRIGGER", trigger));
        }
        return b.build();
    }

    private static void virtualDays(int triggers, int days) {
        for (int round = 1; round <= 5; round++) {
            SimulatedBackend sim = SimulatedBackend.create().startAt(START)
                    .exitsAfter("task", Duration.ofMinutes(2), 0);
            Deployment d = withTriggers("virtual", triggers);
            long t = System.nanoTime();
            int runs = 0;
            try (LiveDeployment live = Orchestrator.using(sim).start(d.plan())) {
                int[] finished = {0};
                live.onRunFinished(r -> finished[0]++);
                live.advanceTo(START.plus(Duration.ofDays(days)));
                runs = finished[0];
            }
            double ms = (System.nanoTime() - t) / 1e6;
            System.out.printf(Locale.ROOT, "virtual: %d triggers, %d virtual days, %d runs: %.0f ms wall"
                    + " (round %d)%n", triggers, days, runs, ms, round);
        }
    }

    private static void manyTriggers(int n) throws Exception {
        Deployment d = withTriggers("bench-triggers", n);
        try (DockerBackend docker = DockerBackend.local().withStandIns(StandIns.defaults()
                .readyAfter(Duration.ofMillis(100)))) {
            Orchestrator ordo = Orchestrator.using(docker);
            ordo.down(d, DownOptions.defaults().removeVolumes(true));
            long heap0 = usedHeap();
            int threads0 = Thread.activeCount();
            try (LiveDeployment live = ordo.start(d.plan())) {
                if (!live.startup().succeeded()) {
                    throw new IllegalStateException(live.startup().render());
                }
                long heap1 = usedHeap();
                int threads1 = Thread.activeCount();
                System.out.printf(Locale.ROOT, "triggers: %d cron triggers armed: heap +%.1f MB after GC (%.1f KB"
                        + " per trigger), threads %d -> %d%n", n, (heap1 - heap0) / 1e6,
                        (heap1 - heap0) / 1e3 / n, threads0, threads1);
                System.out.printf(Locale.ROOT, "triggers: next fire of t0 at %s%n", live.nextFire("t0").orElseThrow());
            } finally {
                ordo.down(d, DownOptions.defaults().removeVolumes(true));
            }
        }
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100); // lets the collector finish; a measurement, not a synchronisation
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void jitter(int fires) throws Exception {
        Deployment d = Deployment.builder("bench-jitter")
                .service("db", s -> s.image("postgres:14").port(5432).healthCheck(HealthCheck.tcp(5432)))
                .job("task", j -> j.image("task:1").onDemand().dependsOn("db", dev.ordo.Condition.HEALTHY))
                .trigger("tick", t -> t.target("task").every(Duration.ofSeconds(1))
                        .overlap(dev.ordo.Overlap.ALLOW).keep(fires + 10))
                .build();
        try (DockerBackend docker = DockerBackend.local().withStandIns(StandIns.defaults()
                .readyAfter(Duration.ofMillis(100)).runFor("task", Duration.ofMillis(100)))) {
            Orchestrator ordo = Orchestrator.using(docker);
            ordo.down(d, DownOptions.defaults().removeVolumes(true));
            List<RunReport> runs = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(fires);
            try (LiveDeployment live = ordo.start(d.plan())) {
                live.onRunFinished(r -> {
                    runs.add(r);
                    done.countDown();
                });
                if (!done.await(fires * 3L + 60, TimeUnit.SECONDS)) {
                    System.out.println("jitter: only " + runs.size() + " of " + fires + " runs finished in time");
                }
            } finally {
                ordo.down(d, DownOptions.defaults().removeVolumes(true));
            }
            List<Double> begin = new ArrayList<>();
            List<Double> running = new ArrayList<>();
            int failed = 0;
            for (RunReport r : runs) {
                Instant due = r.origin().orElseThrow().firedAt();
                begin.add(Duration.between(due, r.startedAt()).toNanos() / 1e6);
                var started = r.node("task").started();
                if (started.isPresent()) {
                    running.add(Duration.between(due, r.startedAt().plus(started.get())).toNanos() / 1e6);
                }
                failed += r.succeeded() ? 0 : 1;
            }
            System.out.printf(Locale.ROOT, "jitter: %d fires every 1 s (%d failed); run begun after its due time:"
                    + " median %.1f ms, p99 %.1f ms, max %.1f ms%n", runs.size(), failed, pct(begin, 50),
                    pct(begin, 99), pct(begin, 100));
            System.out.printf(Locale.ROOT, "jitter: step container running after the due time: median %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms%n", pct(running, 50), pct(running, 99), pct(running, 100));
        }
    }

    private static double pct(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(i, v.size() - 1)));
    }
}
