package dev.ordo.bench;

import dev.ordo.Plan;
import dev.ordo.Selection;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.DockerEngine;
import dev.ordo.docker.Placement;
import dev.ordo.examples.AlphaKraken;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * AlphaKraken's stand-ins brought up and down on one engine and across three, alternating, several times: the
 * median wall time of each. Figures are printed, never asserted.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.ordo.bench.EnginesBenchmark 5
 * }</pre>
 */
public final class EnginesBenchmark {
    private static final List<URI> HOSTS = List.of(URI.create("unix:///var/run/docker.sock"),
            URI.create("unix:///run/ordo-engines/engine-1.sock"), URI.create("unix:///run/ordo-engines/engine-2.sock"));

    private EnginesBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Plan plan = AlphaKraken.deployment().plan(Selection.profiles("local"));
        List<Long> oneUp = new ArrayList<>();
        List<Long> oneDown = new ArrayList<>();
        List<Long> threeUp = new ArrayList<>();
        List<Long> threeDown = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (DockerBackend one = DockerBackend.connect(HOSTS.get(0)).withStandIns(AlphaKraken.standIns())) {
                measure(one, plan, oneUp, oneDown);
            }
            try (DockerBackend three = DockerBackend.onEngines(AlphaKraken.placement(), AlphaKraken.engines(HOSTS))
                    .withStandIns(AlphaKraken.standIns())) {
                measure(three, plan, threeUp, threeDown);
            }
        }
        System.out.printf("AlphaKraken stand-ins, %d runs each, median wall time:%n", runs);
        System.out.printf("  one engine:    up %5d ms   down %5d ms%n", median(oneUp), median(oneDown));
        System.out.printf("  three engines: up %5d ms   down %5d ms   (placement %s)%n", median(threeUp),
                median(threeDown), AlphaKraken.ENGINES);
    }

    private static void measure(DockerBackend backend, Plan plan, List<Long> ups, List<Long> downs) {
        long t0 = System.nanoTime();
        RunReport up = Orchestrator.using(backend).up(plan);
        long t1 = System.nanoTime();
        if (!up.succeeded()) {
            throw new IllegalStateException("up failed on " + backend + ":\n" + up.render());
        }
        RunReport down = Orchestrator.using(backend).down(plan.deployment(), DownOptions.defaults()
                .removeVolumes(true));
        long t2 = System.nanoTime();
        if (!down.succeeded()) {
            throw new IllegalStateException("down failed on " + backend + ":\n" + down.render());
        }
        ups.add((t1 - t0) / 1_000_000);
        downs.add((t2 - t1) / 1_000_000);
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(Long::compare);
        return s.get(s.size() / 2);
    }
}
