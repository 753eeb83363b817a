package dev.ordo.kubernetes;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.kubernetes.internal.Clients;
import dev.ordo.kubernetes.internal.RequestLimiter;
import dev.ordo.run.DownOptions;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Requests and wall time of an {@code up} on the mock API server with the test kubelet: the CLP rehearsal (18
 * nodes) and a generated deployment of 1,000 (each node depends on up to three earlier ones). Counts only Ordo's
 * requests (its user agent), by verb. Run with {@code bench/k8s/run.sh}; prints figures, asserts nothing.
 *
 * <pre>{@code
 * java -cp ... dev.ordo.kubernetes.KubernetesScaleBenchmark 1000
 * }</pre>
 */
public final class KubernetesScaleBenchmark {
    private KubernetesScaleBenchmark() {
    }

    static Deployment generated(int n) {
        Random r = new Random(20261202);
        Deployment.Builder b = Deployment.builder("scale");
        for (int i = 0; i < n; i++) {
            int k = i;
            java.util.Set<Integer> deps = new java.util.TreeSet<>();
            while (deps.size() < Math.min(k, 3)) {
                deps.add(r.nextInt(k));
            }
            b.service("n" + i, s -> {
                s.image("scale:1");
                deps.forEach(d -> s.dependsOn("n" + d, Condition.STARTED));
            });
        }
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {18, 1000} : java.util.Arrays.stream(args)
                .mapToInt(Integer::parseInt).toArray();
        // a server-side limit of 150 of Ordo's requests a second: a client limited to 100/s with bursts of 50 (at
        // most 150 in any second) against an unlimited one, on 300 nodes
        for (double rate : new double[] {RequestLimiter.DEFAULT_RATE, 1e9}) {
            Plan plan = generated(300).plan();
            try (MockCluster cluster = new MockCluster(150); KubernetesBackend k8s = cluster.backend()) {
                k8s.rateLimit(rate, rate > RequestLimiter.DEFAULT_RATE ? Integer.MAX_VALUE : 50);
                long t = System.nanoTime();
                RunReport up = Orchestrator.using(k8s).timeout(Duration.ofMinutes(10)).up(plan);
                System.out.printf("300 nodes, server limit 150/s, client %s: up %s in %.1f s, %d answered 429%n",
                        rate > RequestLimiter.DEFAULT_RATE ? "unlimited" : "limited to 100/s (bursts of 50)",
                        up.succeeded() ? "succeeded" : "FAILED", (System.nanoTime() - t) / 1e9,
                        cluster.tooMany.get());
            }
        }
        for (int size : sizes) {
            Plan plan = size == 18 ? ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()
                    : generated(size).plan();
            try (MockCluster cluster = new MockCluster(); KubernetesBackend k8s = cluster.backend()) {
                long t = System.nanoTime();
                RunReport up = Orchestrator.using(k8s).timeout(Duration.ofMinutes(10)).up(plan);
                double seconds = (System.nanoTime() - t) / 1e9;
                Map<String, Integer> verbs = new TreeMap<>();
                int total = 0;
                RecordedRequest req;
                while ((req = cluster.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                    if (!Clients.USER_AGENT.equals(req.getHeader("User-Agent"))) {
                        continue; // the test kubelet's own
                    }
                    String path = req.getPath();
                    String verb = req.getMethod().equals("GET") ? (path.contains("watch=true") ? "WATCH"
                            : path.matches(".*/[a-z]+(\\?.*)?$") && !path.contains("/log") ? "LIST or GET" : "GET")
                            : req.getMethod();
                    verbs.merge(verb, 1, Integer::sum);
                    total++;
                }
                System.out.printf("%d nodes: up %s in %.1f s; %d requests by Ordo (%.1f per node): %s%n",
                        plan.nodes().size(), up.succeeded() ? "succeeded" : "FAILED", seconds, total,
                        total / (double) plan.nodes().size(), verbs);
                Orchestrator.using(k8s).down(plan.deployment(), DownOptions.defaults().removeVolumes(true));
            }
        }
    }
}
