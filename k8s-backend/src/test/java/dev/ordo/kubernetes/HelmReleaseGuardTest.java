package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported chart refuses a second release in a namespace before Helm creates anything, naming the object, its
 * owner and the fix, and still installs, upgrades, lints and templates as before. The real {@code helm} renders
 * the chart with {@code --dry-run=server}, whose {@code lookup} reads fabric8's mock API server.
 */
class HelmReleaseGuardTest {
    private static Path helm;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        helm = K8sTools.locate().resolve("bin/helm");
    }

    private final Deployment shop = Deployment.builder("shop")
            .service("db", s -> s.image("postgres:16").volume("data", "/var/lib/postgresql/data"))
            .job("migrate", j -> j.image("migrate:1").dependsOn("db", Condition.STARTED))
            .service("api", s -> s.image("api:1").port(8080).dependsOn("migrate", Condition.COMPLETED_SUCCESSFULLY))
            .build();

    /**
     * The discovery documents {@code lookup} needs ({@code /api/v1}, {@code /apis/GROUP/VERSION}), which the mock's
     * CRUD mode does not serve; client-go asks with its fixed 32 s discovery timeout.
     */
    private static void discovery(MockCluster cluster, List<HasMetadata> objects) {
        Map<String, List<HasMetadata>> byVersion = objects.stream().collect(Collectors.groupingBy(
                HasMetadata::getApiVersion, LinkedHashMap::new, Collectors.toList()));
        byVersion.forEach((version, list) -> {
            String resources = list.stream().map(o -> "{\"name\":\"" + HasMetadata.getPlural(o.getClass())
                            + "\",\"namespaced\":true,\"kind\":\"" + o.getKind()
                            + "\",\"verbs\":[\"get\",\"list\",\"create\"]}").distinct()
                    .collect(Collectors.joining(","));
            String path = (version.contains("/") ? "/apis/" : "/api/") + version + "?timeout=32s";
            cluster.server.expect().get().withPath(path).andReturn(200, "{\"kind\":\"APIResourceList\","
                    + "\"apiVersion\":\"v1\",\"groupVersion\":\"" + version + "\",\"resources\":[" + resources
                    + "]}").always();
        });
    }

    /** The shop's chart, written into the test's directory. */
    private Path chart() {
        Path chart = dir.resolve("chart");
        KubernetesManifests.of(shop.plan()).writeHelmChart(chart);
        return chart;
    }

    /** The chart's objects, as the mock API server will be asked about them, with their discovery documents. */
    private List<HasMetadata> served(MockCluster cluster) {
        List<HasMetadata> objects = cluster.client.load(new ByteArrayInputStream(KubernetesManifests.of(shop.plan())
                .render().getBytes(StandardCharsets.UTF_8))).items();
        discovery(cluster, objects);
        return objects;
    }

    private K8sTools.Result template(MockCluster cluster, String release, Path chart) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: mock\n  cluster:\n"
                + "    server: " + cluster.url() + "\ncontexts:\n- name: mock\n  context:\n    cluster: mock\n"
                + "    user: tester\ncurrent-context: mock\nusers:\n- name: tester\n  user:\n    token: t\n");
        return K8sTools.run(List.of(helm.toString(), "template", release, chart.toString(), "--namespace", "shop",
                "--dry-run=server", "--kubeconfig", kubeconfig.toString()), Map.of());
    }

    /** Creates {@code objects} in namespace shop as Helm would for {@code release} (null: as kubectl would). */
    private static void install(MockCluster cluster, List<HasMetadata> objects, String release) {
        for (HasMetadata o : objects) {
            o.getMetadata().setNamespace("shop");
            if (release != null) {
                o.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of("meta.helm.sh/release-name", release,
                        "meta.helm.sh/release-namespace", "shop")));
            }
            cluster.client.resource(o).create();
        }
    }

    @Test
    void aSecondReleaseInTheNamespaceIsRefusedNamingTheObjectItsOwnerAndTheFix() throws Exception {
        Path chart = chart();
        try (MockCluster cluster = new MockCluster()) {
            List<HasMetadata> objects = served(cluster);
            K8sTools.Result fresh = template(cluster, "first", chart);
            assertThat(fresh.exit()).as(fresh.output()).isZero();
            assertThat(fresh.output()).contains("kind: StatefulSet").contains("name: db");

            install(cluster, objects, "first");
            K8sTools.Result upgrade = template(cluster, "first", chart);
            assertThat(upgrade.exit()).as("an upgrade of the release that is there: " + upgrade.output()).isZero();

            K8sTools.Result second = template(cluster, "second", chart);
            assertThat(second.exit()).isNotZero();
            assertThat(second.output()).contains("already exists in namespace shop, owned by Helm release first:"
                    + " a namespace holds one release of this chart").contains("Install release second into a"
                    + " namespace of its own (-n), or upgrade the release that is there");
        }
    }

    @Test
    void objectsMadeByKubectlAreNamedAsNotMadeByHelm() throws Exception {
        Path chart = chart();
        try (MockCluster cluster = new MockCluster()) {
            List<HasMetadata> objects = served(cluster);
            install(cluster, objects.stream().filter(o -> o.getKind().equals("Service")).toList(), null);
            K8sTools.Result r = template(cluster, "first", chart);
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).containsPattern("Service/(db|api) already exists in namespace shop, not made by"
                    + " Helm \\(kubectl apply\\?\\)");
        }
    }
}
