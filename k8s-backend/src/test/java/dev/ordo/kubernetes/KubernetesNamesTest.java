package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Secret;
import dev.ordo.kubernetes.internal.K8sNames;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Labels;
import dev.ordo.spi.support.DnsNames;
import dev.ordo.testing.ReportAssert;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compose's names on Kubernetes: every object name is a DNS label (mapped), labels keep the original names so that
 * core's facts name the nodes it knows, a secret's file keeps its name, an alias gets a Service, and what the mapping
 * costs (a host name other pods no longer resolve, two names that become one) is said.
 */
class KubernetesNamesTest extends ManifestTests {
    /** A compose file's shapes: '_' and '.' in names, upper case, an alias, an env var naming a host. */
    static Plan composeNames() {
        return Deployment.builder("shop")
                .secret(Secret.literal("db_password", "s3cr3t"))
                .service("plausible_db", s -> s.image("postgres:16").port(5432).volume("pg_data", "/var/lib/postgresql")
                        .secret("db_password").alias("database", "DB_Main")
                        .healthCheck(HealthCheck.tcp(5432).interval(Duration.ofSeconds(1))))
                .service("plausible", s -> s.image("plausible:2").port(8000)
                        .env("DATABASE_URL", "postgres://postgres@plausible_db:5432/plausible")
                        .env("OTHER_DB", "plausible_db_2:5432")                  // another name: not a mention
                        .dependsOn("plausible_db", Condition.HEALTHY))
                .service("Web.UI", s -> s.image("nginx:1").port(80).dependsOn("plausible", Condition.STARTED))
                .job("db_migrate", j -> j.image("plausible:2").secretAsEnv("db_password", "PGPASSWORD")
                        .command("migrate", "--host", "plausible_db")
                        .dependsOn("plausible_db", Condition.HEALTHY))
                .build().plan();
    }

    @Test
    void everyObjectNameIsADnsLabelWhileLabelsAndSecretFilesKeepTheOriginalNames() {
        var manifests = KubernetesManifests.of(composeNames()).withSecretValues();
        List<HasMetadata> objects = parse(manifests.render());
        for (HasMetadata o : objects) {
            assertThat(DnsNames.isLabel(o.getMetadata().getName())).as(o.getKind() + " " + o.getMetadata().getName())
                    .isTrue();
            PodSpec pod = podSpec(o);
            if (pod != null) {
                List<Container> all = new ArrayList<>(pod.getContainers());
                all.addAll(pod.getInitContainers());
                all.forEach(c -> assertThat(DnsNames.isLabel(c.getName())).as("container " + c.getName()).isTrue());
                pod.getVolumes().forEach(v -> assertThat(DnsNames.isLabel(v.getName())).as("volume " + v.getName())
                        .isTrue());
            }
        }
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).contains(
                "StatefulSet/plausible-db", "Service/plausible-db", "Service/database", "Deployment/plausible",
                "Deployment/web-ui", "Service/web-ui", "Secret/shop-db-password", "ConfigMap/plausible-env");
        // a Job's name carries a hash of its pod template, so that a changed job is a new Job on apply
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .anySatisfy(n -> assertThat(n).matches("Job/db-migrate-[0-9a-f]{8}"));
        StatefulSet db = (StatefulSet) named(objects, "StatefulSet", "plausible-db");
        assertThat(db.getMetadata().getLabels()).containsEntry(K8sNames.NAME, "plausible_db")
                .containsEntry(Labels.NODE, "plausible_db");
        assertThat(named(objects, "Deployment", "web-ui").getMetadata().getLabels())
                .containsEntry(K8sNames.NAME, "Web.UI");
        assertThat(db.getSpec().getServiceName()).isEqualTo("plausible-db");
        assertThat(db.getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName())
                .containsExactly("pg-data");
        Container main = db.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(main.getName()).isEqualTo("plausible-db");
        assertThat(main.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath())
                .isEqualTo("/run/secrets/db_password"));
        // the alias that can name a Service has one, reaching the same pods on the same ports
        Service alias = (Service) named(objects, "Service", "database");
        Service own = (Service) named(objects, "Service", "plausible-db");
        assertThat(alias.getSpec().getSelector()).isEqualTo(own.getSpec().getSelector())
                .containsEntry(K8sNames.NAME, "plausible_db");
        assertThat(alias.getSpec().getPorts()).isEqualTo(own.getSpec().getPorts());
        // the waiters ask for the objects by their labels, which keep the nodes' own names, and say those
        PodSpec plausible = podSpec(named(objects, "Deployment", "plausible"));
        assertThat(plausible.getInitContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("wait-for-plausible-db");
            assertThat(c.getCommand().get(2)).contains("/statefulsets?labelSelector=",
                    "app.kubernetes.io%2Fname%3Dplausible_db%2C", "plausible_db is healthy");
        });
        assertThat(podSpec(named(objects, "Deployment", "web-ui")).getInitContainers().get(0).getCommand().get(2))
                .contains("app.kubernetes.io%2Fname%3Dplausible");
    }

    @Test
    void theExportSaysWhichNamesWereMappedAndWhichValuesNameAHostOtherPodsCannotResolve() {
        var manifests = KubernetesManifests.of(composeNames());
        assertThat(manifests.warnings()).contains(
                "Kubernetes object names are lower-case DNS labels, so these names were mapped: service 'plausible_db'"
                        + " -> 'plausible-db', service 'Web.UI' -> 'web-ui', job 'db_migrate' -> 'db-migrate', secret"
                        + " 'db_password' -> Secret 'shop-db-password' (its file keeps the name), volume 'pg_data' ->"
                        + " claim template 'pg-data'; labels keep the original names",
                "service 'plausible' env DATABASE_URL mentions 'plausible_db', which Kubernetes cannot resolve (its"
                        + " Service is 'plausible-db'); use the Service name in that value",
                "job 'db_migrate' command mentions 'plausible_db', which Kubernetes cannot resolve (its Service is"
                        + " 'plausible-db'); use the Service name there",
                "service 'plausible_db' has alias 'DB_Main', which cannot name a Kubernetes Service (a DNS-1035 label:"
                        + " lower-case letters, digits and '-', starting with a letter), so other pods cannot reach it"
                        + " by that name; use its Service 'plausible-db', or an alias such as 'db-main'");
        assertThat(manifests.warnings()).noneMatch(w -> w.contains("OTHER_DB"));
        assertThat(manifests.render()).contains("# WARNING: service 'plausible' env DATABASE_URL mentions"
                + " 'plausible_db'");
        // a name that differs from its Service's by case alone resolves (DNS ignores case), which is said as such
        Deployment upper = Deployment.builder("shop").service("DB", s -> s.image("postgres:16").port(5432))
                .service("api", s -> s.image("api:1").env("DB_HOST", "DB")).build();
        assertThat(KubernetesManifests.of(upper.plan()).warnings()).contains("service 'api' env DB_HOST mentions"
                + " 'DB', which Kubernetes resolves only because DNS ignores case (its Service is 'db'), while what"
                + " compares host names as text (TLS certificates, virtual hosts) may not; use the Service name in"
                + " that value");
    }

    @Test
    void namesThatBecomeOneObjectNameAreRefusedNamingBoth() {
        Deployment d = Deployment.builder("shop")
                .secret(Secret.literal("db_password", "a")).secret(Secret.literal("db-password", "b"))
                .service("a_b", s -> s.image("x:1").secret("db_password"))
                .service("a-b", s -> s.image("x:1").secret("db-password").volume("pg_data", "/a"))
                .service("A.B", s -> s.image("x:1").volume("pg-data", "/b"))
                .service("db", s -> s.image("postgres:16").port(5432))
                .service("pg", s -> s.image("postgres:16").port(5433).alias("db"))
                .build();
        String expected = "nodes 'a_b', 'a-b', 'A.B' all become 'a-b' on Kubernetes, whose object names are lower-case"
                + " DNS labels; rename all but one of them";
        assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).render()).isInstanceOf(OrdoException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("secrets 'db_password' and 'db-password' both become Secret 'shop-db-password'"
                        + " on Kubernetes, whose object names are lower-case DNS labels; rename one of them")
                .hasMessageContaining("volumes 'pg-data' and 'pg_data' both become PersistentVolumeClaim"
                        + " 'shop-pg-data' on Kubernetes")
                .hasMessageContaining("Service 'db' would be made for service 'db' and for alias 'db' of service"
                        + " 'pg', but one name holds one Service; drop or rename the alias");
        try (KubernetesBackend k8s = cluster.backend()) {
            assertThatThrownBy(() -> k8s.prepare(d)).hasMessageContaining(expected);
            assertThat(cluster.client.namespaces().withName("shop").get()).isNull();
        }
    }

    @Test
    void theDeploymentComesUpAndCoreSeesItsNodesUnderTheirOwnNames() {
        Plan plan = composeNames();
        Deployment withMappedName = plan.deployment().renamed("Shop_Prod");
        cluster.kubelet.readyAfter("plausible_db", Duration.ofMillis(200)).exitsAfter("db_migrate",
                Duration.ofMillis(100), 0);
        try (KubernetesBackend k8s = cluster.backend()) {
            RunReport report = Orchestrator.using(k8s).timeout(Duration.ofSeconds(30)).up(withMappedName.plan());
            ReportAssert.assertThat(report).succeeded().hasState("plausible_db", NodeState.HEALTHY)
                    .hasState("Web.UI", NodeState.STARTED).hasState("db_migrate", NodeState.COMPLETED)
                    .startedAfter("plausible", "plausible_db");
            assertThat(k8s.namespaceOf(withMappedName)).isEqualTo("shop-prod");
            assertThat(k8s.observe(withMappedName)).extracting(o -> o.node())
                    .contains("plausible_db", "plausible", "Web.UI");
            var services = cluster.client.services().inNamespace("shop-prod").list().getItems();
            assertThat(services).extracting(s -> s.getMetadata().getName())
                    .containsExactlyInAnyOrder("plausible-db", "database", "plausible", "web-ui");
            assertThat(cluster.client.secrets().inNamespace("shop-prod").withName("shop-prod-db-password").get())
                    .isNotNull();
            assertThat(cluster.client.pods().inNamespace("shop-prod").list().getItems())
                    .extracting(p -> p.getMetadata().getLabels().get(K8sNames.NAME))
                    .contains("plausible_db", "Web.UI");
        }
    }

    @Test
    void anAliasGetsAServiceForAsLongAsTheNodeHasIt() {
        Deployment with = Deployment.builder("shop").service("db", s -> s.image("postgres:16").port(5432)
                .alias("database").healthCheck(HealthCheck.tcp(5432))).build();
        Deployment without = Deployment.builder("shop").service("db", s -> s.image("postgres:16").port(5432)
                .healthCheck(HealthCheck.tcp(5432))).build();
        try (KubernetesBackend k8s = cluster.backend()) {
            Orchestrator ordo = Orchestrator.using(k8s).timeout(Duration.ofSeconds(30));
            ReportAssert.assertThat(ordo.up(with.plan())).succeeded();
            assertThat(cluster.client.services().inNamespace("shop").list().getItems())
                    .extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("db", "database");
            ReportAssert.assertThat(ordo.up(without.plan())).succeeded().hasState("db", NodeState.HEALTHY);
            assertThat(cluster.client.services().inNamespace("shop").list().getItems())
                    .extracting(s -> s.getMetadata().getName()).containsExactly("db");
        }
    }

    @Test
    void aNodeWhoseNameIsNoLabelValueKeepsItInAnAnnotation() {
        // a health check, so that up returns once the kubelet is done with the pod
        Deployment d = Deployment.builder("shop").service("cache_", s -> s.image("redis:7").port(6379)
                .healthCheck(HealthCheck.tcp(6379))).build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).render());
        HasMetadata cache = named(objects, "Deployment", "cache");
        assertThat(cache.getMetadata().getLabels()).containsEntry(K8sNames.NAME, "cache");
        assertThat(cache.getMetadata().getAnnotations()).containsEntry(K8sNames.NODE_ANNOTATION, "cache_");
        assertThat(K8sNames.keyOf(cache)).isEqualTo("cache_");
        try (KubernetesBackend k8s = cluster.backend()) {
            ReportAssert.assertThat(Orchestrator.using(k8s).timeout(Duration.ofSeconds(30)).up(d.plan()))
                    .succeeded().hasState("cache_", NodeState.HEALTHY);
            assertThat(k8s.observe(d)).extracting(o -> o.node()).containsExactly("cache_");
        }
    }

    private static HasMetadata named(List<HasMetadata> objects, String kind, String name) {
        return objects.stream().filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + objects.stream()
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }

}
