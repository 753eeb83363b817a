package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Plan;
import dev.ordo.kubernetes.internal.Waiters;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported waiters, run for real: their shell scripts with this machine's sh and curl, against the mock API
 * server standing in for the cluster's (as the pod's token, CA and namespace files stand in for the projected ones).
 */
class WaiterScriptTest {
    private MockCluster cluster;
    @TempDir
    Path account;

    private final Deployment shop = Deployment.builder("shop")
            .service("db", s -> s.image("postgres:16").replicas(2))
            .job("migrate", j -> j.image("migrate:1").dependsOn("db", Condition.STARTED))
            .service("api", s -> s.image("api:1").dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
            .build();

    @BeforeEach
    void cluster() throws Exception {
        cluster = new MockCluster();
        cluster.kubelet.close(); // the statuses here are set by the test itself, as the cluster's controllers would
        Files.writeString(account.resolve("token"), "test-token");
        Files.writeString(account.resolve("ca.crt"), "");
        Files.writeString(account.resolve("namespace"), "shop-test"); // as the downward API would project it
    }

    @AfterEach
    void close() {
        cluster.close();
    }

    private Process waiter(String node, Condition condition) throws Exception {
        return run(Waiters.script("shop", shop.requireNode(node), condition));
    }

    /** The waiter of api's pods for migrate, as the export gives it. */
    private Process apisWaiterForMigrate() throws Exception {
        return run(Waiters.script("shop", java.util.Optional.of(shop.requireNode("api")), shop.requireNode("migrate"),
                Condition.COMPLETED_SUCCESSFULLY));
    }

    private Process run(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        String api = cluster.url().toString();
        pb.environment().put("ORDO_API", api.endsWith("/") ? api.substring(0, api.length() - 1) : api);
        pb.environment().put("ORDO_ACCOUNT_DIR", account.toString());
        return pb.start();
    }

    /** The labels the export gives node {@code node}'s objects, by which the waiters find them. */
    private java.util.Map<String, String> labels(String node) {
        return dev.ordo.kubernetes.internal.K8sNames.labels(shop, shop.requireNode(node));
    }

    private void job(JobStatus status) {
        job("migrate", labels("migrate"), status);
    }

    private void job(String objectName, java.util.Map<String, String> labels, JobStatus status) {
        var jobs = cluster.client.batch().v1().jobs().inNamespace("shop-test");
        if (jobs.withName(objectName).get() == null) {
            jobs.resource(new JobBuilder().withNewMetadata().withName(objectName).withLabels(labels).endMetadata()
                    .withNewSpec()
                    .withNewTemplate().withNewSpec().addNewContainer().withName("migrate").withImage("migrate:1")
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
        }
        jobs.withName(objectName).editStatus(j -> {
            j.setStatus(status);
            return j;
        });
    }

    private static String output(Process p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(60)
    void aFailedJobStopsItsWaiterWithinSecondsNamingIt() throws Exception {
        job(new JobStatus());
        Process p = waiter("migrate", Condition.COMPLETED_SUCCESSFULLY);
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("waits while the job runs").isFalse();
        long failedAt = System.nanoTime(); // from before the status is written: an upper bound
        job(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withFailed(1).withConditions(
                new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                        .build()).build());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // a figure for the closing note, not an assertion: the waiter polls once a second
        System.out.printf("waiter: job failure noticed %d ms after it was recorded%n",
                (System.nanoTime() - failedAt) / 1_000_000);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output(p)).contains("migrate failed; not starting");
    }

    @Test
    @Timeout(60)
    void aCompletedJobReleasesItsWaiter() throws Exception {
        job(new JobStatus());
        Process p = waiter("migrate", Condition.COMPLETED_SUCCESSFULLY);
        assertThat(p.waitFor(2, TimeUnit.SECONDS)).isFalse();
        job(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withSucceeded(1).withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).contains("migrate completed");
    }

    @Test
    @Timeout(60)
    void aServiceIsHealthyOnceEveryReplicaIsReadyInTheNamespaceThePodIsIn() throws Exception {
        Plan plan = shop.plan();
        var deployments = cluster.client.apps().deployments().inNamespace("shop-test");
        deployments.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
                .withName("db").withLabels(labels("db")).endMetadata().withNewSpec().withReplicas(2)
                .withNewSelector()
                .addToMatchLabels("app", "db").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "db").endMetadata().withNewSpec().addNewContainer().withName("db")
                .withImage("postgres:16").endContainer().endSpec().endTemplate().endSpec().build()).create();
        Process p = waiter("db", Condition.HEALTHY);
        ready(deployments.withName("db"), 1, null);
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("one of two replicas ready is not healthy").isFalse();
        ready(deployments.withName("db"), 2, null);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).as("it says what it waits for while it waits")
                .contains("waiting for db to be healthy: 1 of 2 replicas ready").contains("db is healthy");
        assertThat(plan.nodes()).hasSize(3);
    }

    private io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.apps.Deployment> dbWorkload(
            int replicas) {
        return dbWorkload("db", replicas);
    }

    private io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.apps.Deployment> dbWorkload(
            String objectName, int replicas) {
        var deployments = cluster.client.apps().deployments().inNamespace("shop-test");
        deployments.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
                .withName(objectName).withLabels(labels("db")).endMetadata().withNewSpec().withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", "db").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "db").endMetadata().withNewSpec().addNewContainer().withName("db")
                .withImage("postgres:16").endContainer().endSpec().endTemplate().endSpec().build()).create();
        return deployments.withName(objectName);
    }

    private static void ready(io.fabric8.kubernetes.client.dsl.Resource<io.fabric8.kubernetes.api.model.apps.Deployment>
                                      db, Integer ready, Long observedGeneration) {
        // as the controller writes it: for the generation it has seen (the current one unless said otherwise)
        db.editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(ready)
                    .withObservedGeneration(observedGeneration != null ? observedGeneration
                            : d.getMetadata().getGeneration()).build());
            return d;
        });
    }

    @Test
    @Timeout(60)
    void healthyFollowsTheReplicaCountTheClusterHasNowNotTheOneExported() throws Exception {
        // exported with 2 replicas; scaled to 3 (kubectl scale, the chart's values, an overlay) before the waiter runs
        var db = dbWorkload(3);
        ready(db, 2, null);
        Process up = waiter("db", Condition.HEALTHY);
        assertThat(up.waitFor(3, TimeUnit.SECONDS)).as("2 of 3 ready is not healthy").isFalse();
        ready(db, 3, null);
        assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output(up)).contains("db is healthy");

        // scaled down to 1: one ready replica is healthy, although the export said 2
        db.edit(d -> {
            d.getSpec().setReplicas(1);
            return d;
        });
        ready(db, 1, null);
        Process down = waiter("db", Condition.HEALTHY);
        assertThat(down.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).isZero();
    }

    @Test
    @Timeout(60)
    void aServiceScaledToZeroIsHealthyAlthoughTheApiOmitsItsZeroReadyReplicas() throws Exception {
        ready(dbWorkload(0), null, null); // the controller's status: observedGeneration, and no readyReplicas
        Process p = waiter("db", Condition.HEALTHY);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).contains("db is healthy");
    }

    @Test
    @Timeout(60)
    void aStatusTheControllerWroteForAnEarlierSpecIsNotTrusted() throws Exception {
        var db = dbWorkload(2);
        long generation = db.get().getMetadata().getGeneration() == null ? 0 : db.get().getMetadata().getGeneration();
        db.edit(d -> {
            d.getMetadata().setGeneration(generation + 2);
            return d;
        });
        long now = db.get().getMetadata().getGeneration();
        ready(db, 2, now - 1); // the ready count of the spec before
        Process p = waiter("db", Condition.HEALTHY);
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("observedGeneration behind generation").isFalse();
        ready(db, 2, now);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    @Test
    @Timeout(60)
    void startedFollowsTheReplicaCountTheClusterHasNow() throws Exception {
        dbWorkload(1); // exported with 2, scaled to 1
        var pods = cluster.client.pods().inNamespace("shop-test");
        pods.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("db-1")
                .withLabels(dev.ordo.kubernetes.internal.K8sNames.selector("shop", "db")).endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage("postgres:16").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
        pods.withName("db-1").editStatus(x -> {
            x.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
            return x;
        });
        Process p = waiter("db", Condition.STARTED);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output(p)).contains("db started");
    }

    @Test
    @Timeout(60)
    void startedMeansEveryReplicaRunningAsItDoesForTheBackend() throws Exception {
        var pods = cluster.client.pods().inNamespace("shop-test");
        java.util.function.IntFunction<io.fabric8.kubernetes.api.model.Pod> pod = i ->
                new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("db-" + i)
                        .withLabels(dev.ordo.kubernetes.internal.K8sNames.selector("shop", "db")).endMetadata()
                        .withNewSpec().addNewContainer().withName("db").withImage("postgres:16").endContainer()
                        .endSpec().build();
        pods.resource(pod.apply(1)).create();
        pods.resource(pod.apply(2)).create();
        Process p = waiter("db", Condition.STARTED);
        pods.withName("db-1").editStatus(x -> {
            x.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
            return x;
        });
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("one of two replicas running is not started").isFalse();
        pods.withName("db-2").editStatus(x -> {
            x.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
            return x;
        });
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).contains("db started");
    }

    @Test
    void whatTheExportCannotDoAsOrdoDoesIsAWarningNamingTheNode() {
        Deployment d = Deployment.builder("warn")
                .pool("init", 1)
                .service("db", s -> s.image("postgres:16").healthCheck(dev.ordo.HealthCheck.logLine("ready"))
                        .volume("dumps", "/dumps").volume("data", "/var/lib/postgresql/data"))
                .job("migrate", j -> j.image("m:1").pool("init").activeDeadline(java.time.Duration.ofMinutes(5))
                        .dependsOn("db", Condition.HEALTHY).volume("dumps", "/dumps"))
                .build();
        KubernetesManifests m = KubernetesManifests.of(d.plan());
        assertThat(m.warnings()).hasSize(4)
                .anySatisfy(w -> assertThat(w).startsWith("volume 'dumps' is mounted by [db, migrate], so it is one"
                        + " plain claim ('warn-dumps')").contains("kubectl delete -f")
                        .contains("ReadWriteOnce").contains("Multi-Attach"))
                .anySatisfy(w -> assertThat(w).startsWith("service 'db' is healthy when its log prints a line"))
                .anySatisfy(w -> assertThat(w).startsWith("job 'migrate' has an active deadline of 300 s"))
                .anySatisfy(w -> assertThat(w).startsWith("pool 'init' (1 slot) limits [migrate]"));
        assertThat(m.render()).contains("# WARNING: service 'db' is healthy when its log prints a line");
    }

    @Test
    void theExportedWaitersCarryNoNamespaceAndTheTokenOnlyThemselves() {
        String yaml = KubernetesManifests.of(shop.plan()).render();
        assertThat(yaml).doesNotContain("namespace: \"shop\"").doesNotContain("kind: \"Namespace\"")
                .contains("fieldPath: \"metadata.namespace\"", "automountServiceAccountToken: false",
                        "image: \"" + KubernetesManifests.DEFAULT_WAIT_IMAGE + "\"");
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = cluster.parse(yaml);
        var api = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.stream()
                .filter(o -> o.getMetadata().getName().equals("api") && o.getKind().equals("Deployment"))
                .findFirst().orElseThrow();
        var pod = api.getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).singleElement().satisfies(c -> assertThat(c.getVolumeMounts())
                .extracting(m -> m.getMountPath()).containsExactly("/var/run/secrets/kubernetes.io/serviceaccount"));
        assertThat(pod.getContainers()).allSatisfy(c -> assertThat(c.getVolumeMounts() == null ? List.of()
                : c.getVolumeMounts()).noneMatch(m -> m.getMountPath().contains("serviceaccount")));
    }
    @Test
    @Timeout(60)
    void aWaiterTheApiServerRefusesSaysSoNamingTheRoleToGrant() throws Exception {
        // an API server that refuses the token, as one whose Role was not applied or was narrowed too far
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.List<String> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/", x -> {
            queries.add(String.valueOf(x.getRequestURI().getQuery()));
            byte[] body = "{\"kind\":\"Status\",\"code\":403}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(403, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            String script = Waiters.script("shop", shop.requireNode("db"), Condition.HEALTHY);
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
            pb.environment().put("ORDO_API", "http://127.0.0.1:" + server.getAddress().getPort());
            pb.environment().put("ORDO_ACCOUNT_DIR", account.toString());
            Process p = pb.start();
            String line;
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                line = in.readLine();
            } finally {
                p.destroyForcibly();
            }
            assertThat(line).contains("the API server refused to read /apis/apps/v1/namespaces/shop-test/"
                    + "deployments?labelSelector=").contains("(HTTP 403)").contains("ServiceAccount shop-ordo-waiter needs the Role"
                    + " shop-ordo-waiter");
            assertThat(queries).as("reads come from the watch cache").allMatch(q -> q.contains("resourceVersion=0"));
        } finally {
            server.stop(0);
        }
    }
    @Test
    @Timeout(60)
    void dependenciesAreFoundByTheirLabelsSoAKustomizeNamePrefixKeepsTheWaitersWorking() throws Exception {
        var db = dbWorkload("prod-db", 1); // kustomize namePrefix: prod-
        Process p = waiter("db", Condition.HEALTHY);
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("not ready yet").isFalse();
        ready(db, 1, null);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).contains("db is healthy");
    }

    @Test
    @Timeout(60)
    void aJobCompletedForAnEarlierDefinitionDoesNotReleaseTheWaiter() throws Exception {
        java.util.Map<String, String> earlier = new java.util.HashMap<>(labels("migrate"));
        earlier.put(dev.ordo.spi.Labels.CONFIG_HASH, "0123456789ab");
        job("migrate-old", earlier, new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withSucceeded(1)
                .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        Process p = waiter("migrate", Condition.COMPLETED_SUCCESSFULLY);
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("the earlier definition's run does not count").isFalse();
        job(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withSucceeded(1).withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(output(p)).contains("migrate completed");
    }

    /** A pod of api at {@code hash}, ready or not, as the kubelet would report it. */
    private void apiPod(String name, String hash, boolean ready) {
        java.util.Map<String, String> labels = new java.util.HashMap<>(labels("api"));
        labels.put(dev.ordo.spi.Labels.CONFIG_HASH, hash);
        var pods = cluster.client.pods().inNamespace("shop-test");
        pods.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name)
                .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("api").withImage("api:1")
                .endContainer().endSpec().build()).create();
        pods.withName(name).editStatus(p -> {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withConditions(
                    new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
                            .withStatus(ready ? "True" : "False").build()).build());
            return p;
        });
    }

    /** Reads {@code p}'s output until a line contains {@code text}; returns that line (the process goes on). */
    private static String lineWith(Process p, String text) throws Exception {
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("the waiter ended without saying '" + text + "'");
    }

    @Test
    @Timeout(60)
    void aJobDeletedAfterItCompletedStillLetsALaterPodStartWhenItsNodeAlreadyRunsAtThisDefinition()
            throws Exception {
        // migrate completed and a cleanup (ttlSecondsAfterFinished) deleted it; api runs a ready pod at its
        // definition, and a second pod of api starts (a scale-up, a rescheduling)
        String apiHash = shop.requireNode("api").configHash();
        apiPod("api-0", "0123456789ab", true); // an earlier definition of api does not count
        apiPod("api-1", apiHash, false);       // nor a pod that is not ready
        Process p = apisWaiterForMigrate();
        try {
            assertThat(lineWith(p, "no Job of migrate")).contains("no Job of migrate at its current definition in"
                    + " namespace shop-test").contains("if it completed and was deleted since (ttlSecondsAfterFinished,"
                    + " a cleanup), apply the manifests again to run it");
            apiPod("api-2", apiHash, true);
            assertThat(lineWith(p, "starting")).contains("no Job of migrate at its current definition, but api already"
                    + " runs at its own");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @Timeout(60)
    void whileTheJobOfThisDefinitionExistsItsOutcomeDecidesNotTheNodesOtherPods() throws Exception {
        apiPod("api-0", shop.requireNode("api").configHash(), true);
        job(new JobStatus()); // a new run of migrate goes on: a ready pod of api does not let another start early
        Process p = apisWaiterForMigrate();
        assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("waits for the run").isFalse();
        job(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withFailed(1).withConditions(
                new JobConditionBuilder().withType("Failed").withStatus("True").build()).build());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output(p)).contains("migrate failed; not starting");
    }
}
