package dev.ordo.kubernetes;

import dev.ordo.Deployment;
import dev.ordo.spi.Backend;
import dev.ordo.tck.BackendContract;
import dev.ordo.tck.ScenarioNames;
import dev.ordo.tck.Scripts;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The backend contract on fabric8's mock API server with the test kubelet, which makes pods behave as each
 * scenario's scripts say. One mock cluster per backend, every deployment in namespace {@link #NAMESPACE}: an external
 * volume is a claim in the deployment's namespace, and {@link #plantVolume} is told the volume's name only, so the
 * namespace must be known before the deployment is. The settings Kubernetes refuses are reported as unsupported,
 * with {@link KubernetesRefusalsTest}, which checks each refusal at export and at prepare.
 */
class KubernetesBackendContractTest extends BackendContract {
    private static final String NAMESPACE = "ktck";
    private final List<MockCluster> clusters = new ArrayList<>();

    @AfterEach
    void closeClusters() {
        clusters.forEach(MockCluster::close);
        clusters.clear();
    }

    @Override
    protected LivenessJudge livenessJudge() {
        return LivenessJudge.PLATFORM; // the kubelet runs the livenessProbe and kills by its own count
    }

    @Override
    protected Backend backend(Scripts scripts) {
        MockCluster cluster = new MockCluster();
        clusters.add(cluster);
        scripts.all().forEach((node, s) -> {
            List<String> log = new ArrayList<>(s.stdout());
            log.addAll(s.stderr());
            cluster.kubelet.script(node, s.readyAfter(), s.passes(), s.exitsAfter().orElse(null), s.exitCodes(), log);
            s.livenessFailsAfter().ifPresent(after -> cluster.kubelet.livenessFailsAfter(node, after));
        });
        return KubernetesBackend.connect(cluster.url(), NAMESPACE);
    }

    private MockCluster clusterOf(Backend backend) {
        return clusters.get(clusters.size() - 1);
    }

    @Override
    protected void kill(Backend backend, Deployment deployment, String node) {
        throw new UnsupportedOperationException("a kill is not a Kubernetes scenario");
    }

    @Override
    protected Foreign plantForeign(Backend backend, Deployment deployment, String node) {
        MockCluster c = clusterOf(backend);
        var foreign = new DeploymentBuilder().withNewMetadata().withName(node).withNamespace(NAMESPACE)
                .endMetadata().withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "x"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "x")).endMetadata()
                .withNewSpec().addNewContainer().withName("x").withImage("x:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        createNamespace(c);
        c.client.apps().deployments().inNamespace(NAMESPACE).resource(foreign).create();
        return new Foreign() {
            @Override
            public boolean exists() {
                return c.client.apps().deployments().inNamespace(NAMESPACE).withName(node).get() != null;
            }

            @Override
            public void remove() {
                c.client.apps().deployments().inNamespace(NAMESPACE).withName(node).delete();
            }
        };
    }

    private static void createNamespace(MockCluster c) {
        c.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NAMESPACE).endMetadata().build()).createOr(n -> n.update());
    }

    /** A claim as its user makes it, without Ordo's labels, in the namespace the deployment will run in. */
    @Override
    protected Foreign plantVolume(Backend backend, String name) {
        MockCluster c = clusterOf(backend);
        createNamespace(c);
        c.client.persistentVolumeClaims().inNamespace(NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources()
                .endSpec().build()).create();
        return new Foreign() {
            @Override
            public boolean exists() {
                return c.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(name).get() != null;
            }

            @Override
            public void remove() {
                c.client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(name).delete();
            }
        };
    }

    @Override
    protected boolean volumeExists(Backend backend, Deployment deployment, String volume) {
        return clusterOf(backend).client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()
                .stream().anyMatch(c -> c.getMetadata().getName().endsWith("-" + volume)
                        || c.getMetadata().getName().startsWith(volume + "-")); // a plain claim or a template's
    }

    /**
     * The mock runs no process, so the file is what the node's pods would see: the value of the Secret that their
     * spec mounts at {@code path}.
     */
    @Override
    protected Optional<String> readFile(Backend backend, Deployment deployment, String node, String path) {
        var c = clusterOf(backend).client;
        var pods = c.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", node).list().getItems();
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        var spec = pods.get(0).getSpec();
        for (var mount : spec.getContainers().get(0).getVolumeMounts()) {
            if (!path.startsWith(mount.getMountPath())) {
                continue;
            }
            for (var v : spec.getVolumes()) {
                if (v.getName().equals(mount.getName()) && v.getSecret() != null) {
                    var secret = c.secrets().inNamespace(NAMESPACE).withName(v.getSecret().getSecretName())
                            .get();
                    String key = mount.getSubPath() != null ? mount.getSubPath()
                            : path.substring(mount.getMountPath().length()).replaceFirst("^/", "");
                    for (var item : v.getSecret().getItems() == null ? List.<io.fabric8.kubernetes.api.model.KeyToPath>of()
                            : v.getSecret().getItems()) {
                        if (item.getPath().equals(key)) {
                            key = item.getKey();
                        }
                    }
                    String data = secret.getData() == null ? null : secret.getData().get(key);
                    if (data == null && secret.getData() != null && secret.getData().size() == 1) {
                        data = secret.getData().values().iterator().next();
                    }
                    return Optional.ofNullable(data).map(d -> new String(Base64.getDecoder().decode(d),
                            StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }

    /** The API server goes away: the mock server stops, with every connection. */
    @Override
    protected void disconnect(Backend backend) {
        MockCluster c = clusterOf(backend);
        new Thread(c.server::destroy).start();
    }

    @Override
    protected Optional<String> unsupported(String scenario) {
        if (scenario.startsWith(ScenarioNames.KILLED_DEPENDENCY) || scenario.equals(ScenarioNames.KILLED_AFTER_HEALTHY)) {
            return Optional.of("Kubernetes has no kill that the platform leaves dead: the kubelet restarts a killed"
                    + " container in place; a restart after an exit is covered by the restart scenarios");
        }
        if (scenario.equals(ScenarioNames.LONG_CHAIN)) {
            return Optional.of("10,000 workloads on the mock API server take minutes");
        }
        String checked = " (KubernetesRefusalsTest checks the refusal, at export and at prepare)";
        if (scenario.equals(ScenarioNames.RESTART_LIMIT)) {
            return Optional.of("Kubernetes refuses an on-failure restart limit: the kubelet restarts a Deployment's"
                    + " containers without one" + checked);
        }
        if (scenario.equals(ScenarioNames.NETWORKS)) {
            return Optional.of("Kubernetes refuses an internal network: it has one flat pod network" + checked);
        }
        if (scenario.equals(ScenarioNames.IMAGE_HEALTH_CHECK)) {
            return Optional.of("Kubernetes refuses the image's own health check: it cannot read an image's"
                    + " HEALTHCHECK" + checked);
        }
        return Optional.empty();
    }

    @Override
    protected String namePrefix() {
        return "ktck";
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(60);
    }
}
