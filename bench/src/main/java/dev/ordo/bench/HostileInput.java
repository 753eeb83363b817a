package dev.ordo.bench;

import dev.ordo.Deployment;
import dev.ordo.HostileDeployments;
import dev.ordo.OrdoException;
import dev.ordo.Selection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How long {@code build()} + {@code plan()} take on hostile input of fewer than 1,000 nodes (core's
 * {@code HostileDeployments}: 54,000-character names, a thousand misspelt dependencies, a port published on a
 * thousand addresses, misspelt trigger targets, a cycle through every node, unicode): per shape, the median, the
 * 99th percentile and the slowest of many runs after a warm-up, and the slowest first run in this JVM. Prints
 * figures; asserts nothing.
 *
 * <pre>{@code
 * bench/run.sh --hostile            # 200 deployments per shape
 * bench/run.sh --hostile 1000
 * }</pre>
 */
public final class HostileInput {
    private HostileInput() {
    }

    /** Runs {@code args[0]} (default 200) deployments of each shape and prints the figures. */
    public static void main(String[] args) {
        int per = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.printf(Locale.ROOT, "%-14s %8s %8s %8s %8s %10s%n", "shape", "first", "median", "p99", "max",
                "refused");
        long slowestAll = 0;
        for (String shape : HostileDeployments.SHAPES) {
            long first = time(HostileDeployments.of(shape, new Random(-1)));
            for (int i = 0; i < 20; i++) {
                time(HostileDeployments.of(shape, new Random(1000 + i))); // warm-up
            }
            List<Long> nanos = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < per; i++) {
                Deployment.Builder b = HostileDeployments.of(shape, new Random(i));
                long t0 = System.nanoTime();
                try {
                    b.build().plan(Selection.allProfiles());
                } catch (OrdoException e) {
                    refused++;
                }
                nanos.add(System.nanoTime() - t0);
            }
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            slowestAll = Math.max(slowestAll, sorted[sorted.length - 1]);
            System.out.printf(Locale.ROOT, "%-14s %6.1fms %6.1fms %6.1fms %6.1fms %7d/%d%n", shape, first / 1e6,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                    sorted[sorted.length - 1] / 1e6, refused, per);
        }
        System.out.printf(Locale.ROOT, "slowest build()+plan() after warm-up: %.1f ms (target: under 100 ms)%n",
                slowestAll / 1e6);
        System.out.println("args: " + Arrays.toString(args));
    }

    private static long time(Deployment.Builder b) {
        long t0 = System.nanoTime();
        try {
            b.build().plan(Selection.allProfiles());
        } catch (OrdoException e) {
            // refused, as expected of most
        }
        return System.nanoTime() - t0;
    }
}
