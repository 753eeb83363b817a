package dev.ordo.properties;

import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random acyclic deployment: nodes {@code n0..n(k-1)}, node {@code i} depends only on nodes of lower index, with
 * conditions that fit the target's kind, random pools and random scripted durations. Deterministic per seed.
 */
final class RandomDag {
    record Spec(String name, boolean job, boolean healthCheck, Duration interval, List<Dependency> deps, String pool,
                Duration startsAfter, Duration readyAfter, Duration exitsAfter, Duration stopsAfter, int exitCode,
                boolean neverHealthy) {
    }

    final List<Spec> nodes = new ArrayList<>();
    final int[] poolSlots;
    final long seed;

    /**
     * @param servicesInPools whether services (which hold a slot until stopped) may be pool members
     * @param failures        whether some jobs exit non-zero and some services never become healthy
     */
    RandomDag(int n, long seed, boolean servicesInPools, boolean failures) {
        this.seed = seed;
        Random r = new Random(seed);
        poolSlots = new int[r.nextInt(4)];
        for (int p = 0; p < poolSlots.length; p++) {
            poolSlots[p] = 1 + r.nextInt(3);
        }
        for (int i = 0; i < n; i++) {
            boolean job = r.nextInt(3) == 0;
            boolean hc = !job && r.nextBoolean();
            Duration interval = Duration.ofMillis(500 + r.nextInt(4500));
            Set<Integer> targets = new LinkedHashSet<>();
            int k = i == 0 ? 0 : r.nextInt(Math.min(i, 4) + 1);
            while (targets.size() < k) {
                targets.add(r.nextInt(i));
            }
            List<Dependency> deps = new ArrayList<>();
            for (int t : targets) {
                Spec target = nodes.get(t);
                Condition c = target.job() ? (r.nextInt(4) == 0 ? Condition.STARTED : Condition.COMPLETED_SUCCESSFULLY)
                        : target.healthCheck() ? (r.nextInt(3) == 0 ? Condition.STARTED : Condition.HEALTHY)
                        : Condition.STARTED;
                deps.add(Dependency.on(target.name(), c).restart(r.nextInt(5) == 0));
            }
            String pool = poolSlots.length > 0 && (job || servicesInPools) && r.nextInt(10) < 4
                    ? "p" + r.nextInt(poolSlots.length) : null;
            nodes.add(new Spec("n" + i, job, hc, interval, deps, pool,
                    Duration.ofMillis(r.nextInt(5000)), Duration.ofMillis(r.nextInt(30_000)),
                    Duration.ofMillis(r.nextInt(20_000)), Duration.ofMillis(r.nextInt(15_000)),
                    failures && job && r.nextInt(10) == 0 ? 1 + r.nextInt(120) : 0,
                    failures && hc && r.nextInt(20) == 0));
        }
    }

    Deployment deployment() {
        Deployment.Builder b = Deployment.builder("dag");
        for (int p = 0; p < poolSlots.length; p++) {
            b.pool("p" + p, poolSlots[p]);
        }
        for (Spec s : nodes) {
            define(b, s, "x:1");
        }
        return b.build();
    }

    SimulatedBackend backend() {
        SimulatedBackend sim = SimulatedBackend.create();
        for (Spec s : nodes) {
            sim.startsAfter(s.name(), s.startsAfter()).readyAfter(s.name(), s.readyAfter())
                    .stopsAfter(s.name(), s.stopsAfter());
            if (s.job()) {
                sim.exitsAfter(s.name(), s.exitsAfter(), s.exitCode());
            }
            if (s.neverHealthy()) {
                sim.neverHealthy(s.name());
            }
        }
        return sim;
    }

    /** This DAG's deployment with node {@code name}'s image changed (so its configuration hash changes). */
    Deployment withChangedImage(String name) {
        Deployment d = deployment();
        Spec s = spec(name);
        Deployment.Builder b = d.toBuilder();
        define(b, s, "x:2");
        return b.build();
    }

    /** Adds (or, on a derived builder, replaces) the node {@code s} describes, running {@code image}. */
    private static void define(Deployment.Builder b, Spec s, String image) {
        if (s.job()) {
            b.job(s.name(), j -> {
                j.image(image);
                s.deps().forEach(j::dependsOn);
                if (s.pool() != null) {
                    j.pool(s.pool());
                }
            });
        } else {
            b.service(s.name(), x -> {
                x.image(image);
                if (s.healthCheck()) {
                    x.healthCheck(HealthCheck.tcp(80).interval(s.interval()).retries(100));
                }
                s.deps().forEach(x::dependsOn);
                if (s.pool() != null) {
                    x.pool(s.pool());
                }
            });
        }
    }

    Spec spec(String name) {
        return nodes.get(Integer.parseInt(name.substring(1)));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RandomDag[seed=" + seed + ", pools=" + java.util.Arrays.toString(poolSlots));
        nodes.forEach(s -> b.append("\n  ").append(s));
        return b.append("]").toString();
    }
}
