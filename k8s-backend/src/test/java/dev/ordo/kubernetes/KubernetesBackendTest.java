package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.Secret;
import dev.ordo.kubernetes.internal.K8sNames;
import dev.ordo.spi.Labels;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Launch;
import dev.ordo.spi.ObservedNode;
import dev.ordo.spi.StopMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives {@link KubernetesBackend} directly against the mock API server and the test kubelet. */
class KubernetesBackendTest {
    private MockCluster cluster;
    private KubernetesBackend backend;
    private RecordingEvents events;

    @BeforeEach
    void setUp() {
        cluster = new MockCluster();
        backend = cluster.backend();
        events = new RecordingEvents();
    }

    @AfterEach
    void tearDown() {
        backend.close();
        cluster.close();
    }

    private static Deployment small() {
        return Deployment.builder("shop")
                .secret(Secret.literal("db-password", "s3cr3t-value"))
                .service("database", s -> s.image("mysql:8.0.23")
                        .port(3306)
                        .healthCheck(HealthCheck.command("mysqladmin", "ping").startPeriod(Duration.ofSeconds(10)))
                        .volume("database-data", "/var/lib/mysql").volume("uploads", "/var/lib/uploads")
                        .secret("db-password"))
                .job("migrate", j -> j.image("shop:1").command("migrate", "--all").retries(2)
                        .activeDeadline(Duration.ofMinutes(5))
                        .secretAsEnv("db-password", "DB_PASSWORD")
                        .volume("uploads", "/uploads")
                        .dependsOn("database", Condition.HEALTHY))
                .service("web", s -> s.image("shop:1").replicas(2).port(8080, 80)
                        .healthCheck(HealthCheck.http(80, "/health"))
                        .tmpfs("/tmp/cache")
                        .dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
                .build();
    }

    private void start(Deployment d, String node) {
        backend.start(Launch.create(d, d.requireNode(node)), events);
    }

    /** A launch that keeps the node's workload when it is unchanged, as core asks for a running node. */
    private static Launch keep(Deployment d, String node) {
        return new Launch(d, d.requireNode(node), Launch.Mode.KEEP, 1, 0, Launch.probesOf(d.requireNode(node)));
    }

    @Test
    void serviceBecomesStartedThenHealthyFromWatchedStatus() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        events.await("healthy", "web");
        assertThat(events.types("web")).containsExactly("started", "healthy");
        assertThat(events.all().get(0).detail()).isEqualTo("reused=false");
        assertThat(cluster.kubelet.first("running", "web")).isPresent();
    }

    @Test
    void everyObjectCarriesOrdoLabelsAndTheConfigHashAnnotation() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "database");
        events.await("healthy", "database");
        List<HasMetadata> objects = cluster.objects("shop");
        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("StatefulSet", "Service", "Secret", "PersistentVolumeClaim", "Pod");
        for (HasMetadata o : objects) {
            assertThat(o.getMetadata().getLabels())
                    .as(o.getKind() + " " + o.getMetadata().getName())
                    .containsEntry(K8sNames.PART_OF, "shop")
                    .containsEntry(K8sNames.MANAGED_BY, "ordo")
                    .containsEntry(Labels.DEPLOYMENT, "shop");
        }
        StatefulSet sts = cluster.client.apps().statefulSets().inNamespace("shop").withName("database").get();
        assertThat(sts.getMetadata().getLabels()).containsEntry(K8sNames.NAME, "database")
                .containsEntry(Labels.NODE, "database")
                .containsEntry(Labels.CONFIG_HASH, d.requireNode("database").configHash());
        assertThat(sts.getMetadata().getAnnotations())
                .containsEntry(K8sNames.HASH_ANNOTATION, d.requireNode("database").configHash());
        assertThat(cluster.client.namespaces().withName("shop").get().getMetadata().getLabels())
                .containsEntry(K8sNames.MANAGED_BY, "ordo");
    }

    @Test
    void mapsHealthChecksVolumesSecretsAndPorts() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "database");
        start(d, "web");
        start(d, "migrate");
        events.await("healthy", "web");
        events.await("exited", "migrate");

        var db = cluster.client.apps().statefulSets().inNamespace("shop").withName("database").get();
        var dbPod = db.getSpec().getTemplate().getSpec();
        var dbContainer = dbPod.getContainers().get(0);
        assertThat(dbContainer.getReadinessProbe().getExec().getCommand()).containsExactly("mysqladmin", "ping");
        assertThat(dbContainer.getStartupProbe()).as("core judges 'unhealthy before ready' on the backend: no"
                + " startup probe for the kubelet to act on first").isNull();
        var exported = (StatefulSet) cluster.client.load(new java.io.ByteArrayInputStream(KubernetesManifests
                .of(d.plan()).render().getBytes(java.nio.charset.StandardCharsets.UTF_8))).items().stream()
                .filter(o -> o instanceof StatefulSet && o.getMetadata().getName().equals("database")).findFirst()
                .orElseThrow();
        assertThat(exported.getSpec().getTemplate().getSpec().getContainers().get(0).getStartupProbe())
                .as("the export, which runs without Ordo, counts the start period with a startup probe").isNotNull();
        // database's own volume is a claim template (a claim per replica, kept by kubectl delete -f); the volume
        // it shares with migrate is one plain claim
        assertThat(db.getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName())
                .containsExactly("database-data");
        assertThat(dbContainer.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName() + " " + m.getMountPath())
                .isEqualTo("database-data /var/lib/mysql"));
        assertThat(dbPod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("shop-uploads");
        assertThat(dbPod.getVolumes()).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName()).containsExactly("shop-db-password");
        assertThat(dbContainer.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/run/secrets/db-password");
            assertThat(m.getReadOnly()).isTrue();
        });
        var dbService = cluster.client.services().inNamespace("shop").withName("database").get();
        assertThat(dbService.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(3306));

        var web = cluster.client.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getReplicas()).isEqualTo(2);
        var webContainer = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(webContainer.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(web.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getEmptyDir() != null)
                .extracting(v -> v.getEmptyDir().getMedium()).containsExactly("Memory");

        var job = cluster.client.batch().v1().jobs().inNamespace("shop").withName("migrate").get();
        // one attempt per Job: core runs the retries as new launches and keeps the deadline itself
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DB_PASSWORD");
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db-password");
        });
    }

    @Test
    void secretValuesLiveOnlyInSecretObjects() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "database");
        start(d, "migrate");
        events.await("healthy", "database");
        events.await("exited", "migrate");
        List<HasMetadata> objects = cluster.objects("shop");
        String encoded = Base64.getEncoder().encodeToString("s3cr3t-value".getBytes(StandardCharsets.UTF_8));
        for (HasMetadata o : objects) {
            String json = Serialization.asJson(o);
            assertThat(json).as(o.getKind()).doesNotContain("s3cr3t-value");
            if (!o.getKind().equals("Secret")) {
                assertThat(json).as(o.getKind()).doesNotContain(encoded);
            }
        }
        assertThat(objects).filteredOn(o -> o.getKind().equals("ConfigMap")).isEmpty();
        var secret = cluster.client.secrets().inNamespace("shop").withName("shop-db-password").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8))
                .isEqualTo("s3cr3t-value");
    }

    @Test
    void plainConfigurationGoesToAConfigMapThatFollowsTheNode() {
        Deployment d = Deployment.builder("shop")
                .service("web", s -> s.image("shop:1").env("LOG_LEVEL", "debug").env("shop.region", "eu-1")
                        .env("WEIRD KEY", "inline"))
                .build();
        backend.prepare(d);
        start(d, "web");
        events.await("started", "web");
        var config = cluster.client.configMaps().inNamespace("shop").withName("web-env").get();
        assertThat(config.getData()).containsOnly(entry("LOG_LEVEL", "debug"), entry("shop.region", "eu-1"));
        assertThat(config.getMetadata().getLabels()).containsEntry(K8sNames.MANAGED_BY, "ordo")
                .containsEntry(K8sNames.NAME, "web");
        var container = cluster.client.apps().deployments().inNamespace("shop").withName("web").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("web-env"));
        // a name no ConfigMap key may have stays inline
        assertThat(container.getEnv()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("WEIRD KEY"));

        // a changed environment updates the ConfigMap with the replaced workload
        Deployment changed = d.toBuilder().service("web", s -> s.image("shop:1").env("LOG_LEVEL", "info")).build();
        RecordingEvents again = new RecordingEvents();
        backend.start(Launch.create(changed, changed.requireNode("web")), again);
        again.await("started", "web");
        assertThat(cluster.client.configMaps().inNamespace("shop").withName("web-env").get().getData())
                .containsOnly(entry("LOG_LEVEL", "info"));

        RecordingEvents stops = new RecordingEvents();
        backend.stop(changed, "web", dev.ordo.spi.StopMode.remove(Duration.ofSeconds(1)), stops);
        stops.await("stopped", "web");
        assertThat(cluster.client.configMaps().inNamespace("shop").withName("web-env").get()).isNull();
    }

    @Test
    void jobCompletesWithExitCodeZero() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "migrate");
        RecordingEvents.Event exited = events.await("exited", "migrate");
        assertThat(exited.exitCode()).isZero();
        assertThat(events.types("migrate")).containsExactly("started", "exited");
    }

    @Test
    void failedJobReportsExitCodeReasonAndLogTail() {
        cluster.kubelet.exitsAfter("migrate", Duration.ofMillis(50), 3, "connecting to database", "ERROR: table locked");
        Deployment d = small();
        backend.prepare(d);
        start(d, "migrate");
        RecordingEvents.Event exited = events.await("exited", "migrate");
        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.lines()).containsExactly("connecting to database", "ERROR: table locked");
    }

    @Test
    void imagePullFailureNamesNodeAndImage() {
        cluster.kubelet.imagePullFails("web");
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        RecordingEvents.Event failed = events.await("failed", "web");
        assertThat(failed.detail()).contains("node 'web'", "image 'shop:1'", "ImagePullBackOff", "check the image");
    }

    @Test
    void aMissingSecretIsNamedWithinSecondsNotAtTheTimeout() {
        cluster.kubelet.containerWaits("web", "CreateContainerConfigError", "secret \"shop-db-password\" not found");
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        RecordingEvents.Event failed = events.await("failed", "web");
        assertThat(failed.detail()).contains("node 'web'", "CreateContainerConfigError",
                "secret \"shop-db-password\" not found", "create the Secret or ConfigMap");
    }

    @Test
    void anUnschedulablePodAndAPendingClaimAreNamedWithTheFix() {
        cluster.kubelet.unschedulable("web", "0/3 nodes are available: 3 Insufficient memory.");
        cluster.kubelet.unschedulable("db", "0/3 nodes are available: pod has unbound immediate"
                + " PersistentVolumeClaims.");
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        assertThat(events.await("failed", "web").detail()).contains("node 'web': no cluster node can run its pod",
                "Insufficient memory", "lower its resource requests");
        Deployment withDb = Deployment.builder("shop").service("db", s -> s.image("postgres:16")).build();
        RecordingEvents db = new RecordingEvents();
        backend.start(Launch.create(withDb, withDb.requireNode("db")), db);
        assertThat(db.await("failed", "db").detail()).contains("volume claim is not bound", "kubectl get pvc -n shop");
    }

    @Test
    void secondStartWithSameHashKeepsTheWorkload() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        events.await("healthy", "web");
        String uid = cluster.client.apps().deployments().inNamespace("shop").withName("web").get().getMetadata()
                .getUid();

        RecordingEvents again = new RecordingEvents();
        backend.start(keep(d, "web"), again);
        again.await("healthy", "web");
        assertThat(again.all().get(0).detail()).isEqualTo("reused=true");
        assertThat(cluster.client.apps().deployments().inNamespace("shop").withName("web").get().getMetadata()
                .getUid()).isEqualTo(uid);
        assertThat(cluster.kubelet.count("created", "web")).isEqualTo(1);
    }

    @Test
    void aChangedNodeThatCoreAsksToCreateReplacesTheWorkload() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        events.await("healthy", "web");
        Deployment changed = d.toBuilder().service("web", s -> s.image("shop:2").replicas(2)
                .healthCheck(HealthCheck.http(80, "/health"))
                .dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY)).build();
        // core saw the changed hash in what the backend observed and asks for a new one (Reconcile); whether what
        // exists is current is never decided again here
        assertThat(backend.observe(changed)).filteredOn(o -> o.node().equals("web"))
                .singleElement().satisfies(o -> assertThat(o.configHash())
                        .isNotEqualTo(changed.requireNode("web").configHash()));
        RecordingEvents again = new RecordingEvents();
        backend.start(Launch.create(changed, changed.requireNode("web")), again);
        again.await("healthy", "web");
        assertThat(again.all().get(0).detail()).isEqualTo("reused=false");
        var web = cluster.client.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop:2");
        assertThat(cluster.kubelet.count("deleted", "web")).isEqualTo(1);
        assertThat(cluster.kubelet.count("created", "web")).isEqualTo(2);
    }

    @Test
    void foreignObjectWithTheNodesNameIsNeverTouched() {
        Deployment d = small();
        backend.prepare(d);
        var foreign = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").addToLabels("app", "someone-else").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "x").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate().endSpec()
                .build();
        cluster.client.resource(foreign).create();
        start(d, "web");
        RecordingEvents.Event failed = events.await("failed", "web");
        assertThat(failed.detail()).contains("Deployment 'web'", "without Ordo's labels", "rename the node");
        backend.stop(d, "web", StopMode.remove(Duration.ZERO), events);
        events.await("stopped", "web");
        assertThat(cluster.client.apps().deployments().inNamespace("shop").withName("web").get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx");
    }

    @Test
    void stopRemovesWorkloadAndServiceButKeepsVolumesUntilAsked() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "database");
        events.await("healthy", "database");
        backend.stop(d, "database", StopMode.remove(Duration.ofSeconds(1)), events);
        events.await("stopped", "database");
        assertThat(cluster.client.apps().statefulSets().inNamespace("shop").withName("database").get()).isNull();
        assertThat(cluster.client.services().inNamespace("shop").withName("database").get()).isNull();
        assertThat(cluster.client.pods().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(backend.observe(d)).isEmpty();

        backend.release(d, false);
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").withName("database-data-database-0")
                .get()).as("the StatefulSet's claim outlives it").isNotNull();
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").withName("shop-uploads").get())
                .isNotNull();
        assertThat(cluster.client.secrets().inNamespace("shop").withName("shop-db-password").get()).isNull();
        backend.release(d, true);
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").list().getItems()).isEmpty();
        assertThat(cluster.client.namespaces().withName("shop").get()).isNull();
    }

    @Test
    void stopWithoutRemoveScalesToZeroAndStartResumes() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        events.await("healthy", "web");
        backend.stop(d, "web", StopMode.keep(Duration.ofSeconds(1)), events);
        events.await("stopped", "web");
        assertThat(cluster.client.apps().deployments().inNamespace("shop").withName("web").get().getSpec()
                .getReplicas()).isZero();
        assertThat(backend.observe(d)).singleElement()
                .satisfies(o -> assertThat(o.state()).isEqualTo(ObservedNode.State.EXITED));

        RecordingEvents again = new RecordingEvents();
        backend.start(keep(d, "web"), again);
        again.await("healthy", "web");
        assertThat(cluster.client.apps().deployments().inNamespace("shop").withName("web").get().getSpec()
                .getReplicas()).isEqualTo(2);
    }

    @Test
    void observeReportsStatesAndHashes() {
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        start(d, "migrate");
        events.await("healthy", "web");
        events.await("exited", "migrate");
        // the first replica's pass is a fact; the Deployment's ready count follows when the kubelet has both
        events.await(e -> backend.observe(d).stream().anyMatch(o -> o.node().equals("web")
                && o.state() == ObservedNode.State.HEALTHY), "web observed healthy", Duration.ofSeconds(10));
        assertThat(backend.observe(d)).extracting(ObservedNode::node, ObservedNode::state, ObservedNode::configHash)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("web", ObservedNode.State.HEALTHY,
                                d.requireNode("web").configHash()),
                        org.assertj.core.groups.Tuple.tuple("migrate", ObservedNode.State.EXITED,
                                d.requireNode("migrate").configHash()));
    }

    @Test
    void bindMountBecomesHostPath() {
        Deployment d = Deployment.builder("logs")
                .service("shipper", s -> s.image("fluent-bit:3").bind("/var/log", "/host-logs"))
                .build();
        backend.prepare(d);
        start(d, "shipper");
        events.await("started", "shipper");
        var pod = cluster.client.apps().deployments().inNamespace("logs").withName("shipper").get().getSpec()
                .getTemplate().getSpec();
        assertThat(pod.getVolumes()).singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/log"));
    }

    @Test
    void unreachableClusterIsNamedWithTheFix() {
        try (KubernetesBackend nowhere = KubernetesBackend.connect(URI.create("http://127.0.0.1:1"))) {
            assertThatThrownBy(() -> nowhere.prepare(small()))
                    .isInstanceOf(OrdoException.class)
                    .hasMessageContaining("cannot reach the Kubernetes API server at http://127.0.0.1:1")
                    .hasMessageContaining("kubectl cluster-info");
        }
    }

    @Test
    void missingKubeConfigIsNamedWithTheFix() {
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", "/nonexistent/ordo-test/kubeconfig");
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null);
            assertThatThrownBy(KubernetesBackend::fromKubeConfig)
                    .isInstanceOf(OrdoException.class)
                    .hasMessageContaining("/nonexistent/ordo-test/kubeconfig")
                    .hasMessageContaining("KUBECONFIG");
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    @Test
    void forbiddenNamesVerbAndResource() {
        cluster.server.expect().post().withPath("/apis/apps/v1/namespaces/shop/deployments")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
                        .withReason("Forbidden").withMessage("deployments.apps is forbidden: User \"dev\" cannot "
                                + "create resource \"deployments\" in API group \"apps\" in the namespace \"shop\"")
                        .build())
                .always();
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        RecordingEvents.Event failed = events.await("failed", "web");
        assertThat(failed.detail()).contains("forbidden", "may not create deployments in namespace 'shop'",
                "User \"dev\"", "kubectl create role");
    }

    @Test
    void quotaExceededIsNamedWithTheFix() {
        cluster.server.expect().post().withPath("/api/v1/namespaces/shop/persistentvolumeclaims")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
                        .withReason("Forbidden").withMessage("persistentvolumeclaims \"shop-uploads\" is "
                                + "forbidden: exceeded quota: storage, requested: requests.storage=1Gi, used: "
                                + "requests.storage=10Gi, limited: requests.storage=10Gi")
                        .build())
                .always();
        assertThatThrownBy(() -> backend.prepare(small()))
                .isInstanceOf(OrdoException.class)
                .hasMessageContaining("resource quota in namespace 'shop' refuses to create persistentvolumeclaims")
                .hasMessageContaining("raise the quota");
    }

    @Test
    void quotaExceededWhileCreatingPodsFailsTheNode() {
        cluster.kubelet.quotaExceeded("web");
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        RecordingEvents.Event failed = events.await("failed", "web");
        assertThat(failed.detail()).contains("node 'web'", "exceeded quota", "raise it", "namespace 'shop'");
    }

    @Test
    void crashLoopingServiceExitsWithItsCodeAndLog() {
        cluster.kubelet.crashLoops("web", 137, "panic: cannot bind :80");
        Deployment d = small();
        backend.prepare(d);
        start(d, "web");
        RecordingEvents.Event exited = events.await("exited", "web");
        assertThat(exited.exitCode()).isEqualTo(137);
        assertThat(exited.lines()).contains("panic: cannot bind :80");
    }

    @Test
    void logLineCheckIsLeftToCoreWhichReadsEveryPodsNewLines() {
        cluster.kubelet.logs("database", "starting", "2026-01-01 ready for connections", "serving");
        Deployment d = Deployment.builder("store")
                .service("database", s -> s.image("mysql:8.0.23").replicas(2)
                        .healthCheck(HealthCheck.logLine("ready for connections")))
                .build();
        RunReport up = dev.ordo.run.Orchestrator.using(backend).timeout(Duration.ofSeconds(20)).up(d.plan());
        assertThat(up.node("database").state()).as(up.render()).isEqualTo(dev.ordo.run.NodeState.HEALTHY);
        backend.prepare(d);
        start(d, "database");
        events.await(e -> events.output().size() >= 6, "the lines of both pods", Duration.ofSeconds(10));
        assertThat(events.output()).contains("database#1: 2026-01-01 ready for connections",
                "database#2: 2026-01-01 ready for connections");
        var container = cluster.client.apps().deployments().inNamespace("store").withName("database").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getReadinessProbe()).as("log lines are Ordo's to read, not a probe's").isNull();
    }

    @Test
    void logLineCheckWithoutTheLineIsUnhealthyByCoresRule() {
        cluster.kubelet.logs("database", "starting", "still starting");
        Deployment d = Deployment.builder("store")
                .service("database", s -> s.image("mysql:8.0.23")
                        .healthCheck(HealthCheck.logLine("ready for connections").interval(Duration.ofMillis(200))))
                .build();
        RunReport up = dev.ordo.run.Orchestrator.using(backend).timeout(Duration.ofSeconds(20)).up(d.plan());
        assertThat(up.node("database").failure().orElseThrow().reason())
                .isEqualTo(dev.ordo.run.Failure.Reason.UNHEALTHY);
        assertThat(up.node("database").failure().orElseThrow().message())
                .contains("printed no line matching /ready for connections/");
    }

    @Test
    void fromKubeConfigUsesTheCurrentContext(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("config");
        java.nio.file.Files.writeString(file, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: elsewhere",
                "  cluster: {server: 'http://127.0.0.1:1'}",
                "- name: mock",
                "  cluster: {server: '" + cluster.url() + "'}",
                "users:",
                "- name: tester",
                "  user: {token: not-checked}",
                "contexts:",
                "- name: other",
                "  context: {cluster: elsewhere, user: tester}",
                "- name: test",
                "  context: {cluster: mock, user: tester}",
                "current-context: test",
                ""));
        String before = System.getProperty("kubeconfig");
        System.setProperty("kubeconfig", file.toString());
        try (KubernetesBackend fromConfig = KubernetesBackend.fromKubeConfig()) {
            assertThat(fromConfig.toString()).contains("context test");
            Deployment d = small();
            fromConfig.prepare(d);
            assertThat(cluster.client.namespaces().withName("shop").get()).isNotNull();
            assertThat(fromConfig.namespaceOf(d)).isEqualTo("shop");
        } finally {
            if (before == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", before);
            }
        }
    }

    @Test
    void namedNamespaceHoldsTheDeploymentAndIsNeverDeleted() {
        cluster.client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("team-a").endMetadata().build()).create();
        try (KubernetesBackend named = KubernetesBackend.connect(cluster.url(), "team-a")) {
            Deployment d = small();
            named.prepare(d);
            named.start(Launch.create(d, d.requireNode("web")), events);
            events.await("healthy", "web");
            assertThat(cluster.client.apps().deployments().inNamespace("team-a").withName("web").get()).isNotNull();
            named.stop(d, "web", StopMode.remove(Duration.ZERO), events);
            events.await("stopped", "web");
            named.release(d, true);
            assertThat(cluster.client.namespaces().withName("team-a").get()).as("not Ordo's to delete").isNotNull();
            assertThat(cluster.client.secrets().inNamespace("team-a").list().getItems()).isEmpty();
        }
    }
}
