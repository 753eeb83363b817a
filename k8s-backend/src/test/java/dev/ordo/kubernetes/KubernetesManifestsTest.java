package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ClpTopology;
import dev.ordo.Deployment;
import dev.ordo.Edge;
import dev.ordo.Plan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The self-ordering export: parsed back with fabric8's model parser and created on the mock API server. */
class KubernetesManifestsTest extends ManifestTests {
    @Test
    void everyDependencyBecomesAWaitForInitContainer() {
        Plan plan = ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan();
        List<HasMetadata> objects = parse(KubernetesManifests.of(plan).render());
        Map<String, HasMetadata> workloads = objects.stream().filter(o -> podSpec(o) != null)
                .collect(Collectors.toMap(o -> o.getMetadata().getLabels().get(
                        dev.ordo.kubernetes.internal.K8sNames.NAME), o -> o));
        assertThat(workloads).hasSize(18);
        for (Edge e : plan.edges()) {
            List<Container> init = podSpec(workloads.get(e.dependent())).getInitContainers();
            assertThat(init).as("%s waits for %s", e.dependent(), e.dependency())
                    .anySatisfy(c -> {
                        assertThat(c.getName()).isEqualTo("wait-for-" + e.dependency());
                        String script = c.getCommand().get(2);
                        switch (e.condition()) {
                            // found by label (app.kubernetes.io/name), not by name, so a namePrefix keeps working
                            case HEALTHY -> assertThat(script).contains("readyReplicas",
                                    "%2Capp.kubernetes.io%2Fname%3D" + e.dependency() + "%2C");
                            case COMPLETED_SUCCESSFULLY -> assertThat(script).contains("\"Complete\"", "\"Failed\"",
                                    "/jobs?labelSelector=", "app.kubernetes.io%2Fname%3D" + e.dependency() + "%2C",
                                    "dev.ordo.config-hash%3D" + plan.node(e.dependency()).orElseThrow().configHash(),
                                    "exit 1");
                            case STARTED -> assertThat(script).contains("Running");
                        }
                    });
            assertThat(podSpec(workloads.get(e.dependent())).getServiceAccountName()).isEqualTo("clp-ordo-waiter");
        }
        long edges = plan.edges().size();
        long waits = workloads.values().stream().mapToLong(w -> podSpec(w).getInitContainers().size()).sum();
        assertThat(waits).isEqualTo(edges);
        assertThat(podSpec(workloads.get("database")).getInitContainers()).isEmpty();
    }

    @Test
    void aNamespaceKubernetesWouldRefuseIsNamedWithTheFix() {
        var manifests = KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> manifests.namespace("Clp_Prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace 'Clp_Prod' is not a DNS-1123 label")
                .hasMessageContaining("lower-case letters, digits and '-'");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> KubernetesBackend.connect(java.net.URI.create("http://127.0.0.1:1"), "prod env"))
                .hasMessageContaining("namespace 'prod env'");
    }

    @Test
    void waitersGetAReadOnlyNamespaceScopedRole() {
        List<HasMetadata> objects = parse(KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).namespace("clp-prod")
                .render());
        Role role = objects.stream().filter(Role.class::isInstance).map(Role.class::cast).findFirst().orElseThrow();
        assertThat(role.getMetadata().getNamespace()).isEqualTo("clp-prod");
        // no more than the waiters call: list pods, get workloads and jobs
        assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).containsAnyOf("get", "list")
                .hasSize(1));
        assertThat(role.getRules()).flatExtracting(r -> r.getResources())
                .containsExactlyInAnyOrder("pods", "deployments", "statefulsets", "jobs");
        RoleBinding binding = objects.stream().filter(RoleBinding.class::isInstance).map(RoleBinding.class::cast)
                .findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getKind()).isEqualTo("ServiceAccount"));
        assertThat(objects).noneMatch(o -> o.getKind().equals("ClusterRole") || o.getKind().equals("ClusterRoleBinding"));
        assertThat(objects).allSatisfy(o -> {
            if (!o.getKind().equals("Namespace")) {
                assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("clp-prod");
            }
        });
    }

    @Test
    void mockApiServerAcceptsEveryObject() {
        String yaml = KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).withSecretValues().render();
        List<HasMetadata> objects = parse(yaml);
        // CLP's one volume is the database's own: a claim template of its StatefulSet, no plain claim to delete
        assertThat(objects).extracting(HasMetadata::getKind).startsWith("ServiceAccount", "Role",
                "RoleBinding", "Secret").doesNotContain("Namespace", "PersistentVolumeClaim");
        assertThat(objects).filteredOn(o -> o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet)
                .singleElement().satisfies(o -> assertThat(((io.fabric8.kubernetes.api.model.apps.StatefulSet) o)
                        .getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName())
                        .containsExactly("database-data"));
        for (HasMetadata o : objects) {
            assertThat(o.getMetadata().getNamespace()).as("a relocatable base names no namespace").isNull();
            HasMetadata created = cluster.client.resource(o).inNamespace("clp").create();
            assertThat(created.getMetadata().getUid()).as(o.getKind() + " " + o.getMetadata().getName()).isNotNull();
        }
        assertThat(cluster.client.apps().deployments().inNamespace("clp").list().getItems()).hasSize(15);
        assertThat(cluster.client.apps().statefulSets().inNamespace("clp").list().getItems()).hasSize(1);
        assertThat(cluster.client.batch().v1().jobs().inNamespace("clp").list().getItems()).hasSize(2);
    }

    @Test
    void roundTripsThroughTheModelParser() {
        String yaml = KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).render();
        List<HasMetadata> parsed = parse(yaml);
        StringBuilder again = new StringBuilder();
        parsed.forEach(o -> again.append(Serialization.asYaml(o)));
        assertThat(parse(again.toString())).isEqualTo(parsed);
        assertThat(parsed).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .doesNotHaveDuplicates()
                .contains("Service/webui", "Deployment/webui", "StatefulSet/database")
                .anySatisfy(n -> assertThat(n).matches("Job/db-table-creator-[0-9a-f]{8}"));
    }

    @Test
    void secretValuesStayOutUnlessAsked() {
        String yaml = KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).render();
        String encoded = java.util.Base64.getEncoder().encodeToString(ClpTopology.DB_PASSWORD.getBytes());
        assertThat(yaml).doesNotContain(ClpTopology.DB_PASSWORD).doesNotContain(encoded)
                .contains("kubectl create secret generic clp-db-password --from-file=value=");
        assertThat(parse(yaml)).noneMatch(o -> o.getKind().equals("Secret"));
        assertThat(KubernetesManifests.of(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build().plan()).withSecretValues().render()).contains(encoded);
    }

    @Test
    void scheduledJobIsExportedAsCronJobWithoutWaits() {
        Deployment d = Deployment.builder("ops")
                .service("db", s -> s.image("postgres:16").healthCheck(dev.ordo.HealthCheck.tcp(5432)))
                .job("nightly", j -> j.image("gc:1").schedule("0 3 * * *"))
                .build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).render());
        assertThat(objects).extracting(HasMetadata::getKind).contains("CronJob").doesNotContain("Role");
        var cron = objects.stream().filter(o -> o.getKind().equals("CronJob")).findFirst().orElseThrow();
        assertThat(((io.fabric8.kubernetes.api.model.batch.v1.CronJob) cron).getSpec().getConcurrencyPolicy())
                .isEqualTo("Forbid");
    }

    @Test
    void aSecretFilesModeAndGroupBecomeTheVolumesModeAndThePodsFsGroup() {
        Deployment d = Deployment.builder("own").secret(dev.ordo.Secret.literal("pw", "x"))
                .service("db", s -> s.image("postgres:16").secret(dev.ordo.SecretRef.file("pw").owner(999, 998)
                        .mode(0440)))
                .service("root", s -> s.image("app:1").secret("pw"))
                .build();
        List<HasMetadata> objects = parse(KubernetesManifests.of(d.plan()).withSecretValues().render());
        PodSpec db = podSpec(objects.stream().filter(o -> o.getMetadata().getName().equals("db")
                && !o.getKind().equals("Service")).findFirst().orElseThrow());
        assertThat(db.getSecurityContext().getFsGroup()).isEqualTo(998L);
        assertThat(db.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440));
        PodSpec root = podSpec(objects.stream().filter(o -> o.getMetadata().getName().equals("root")
                && !o.getKind().equals("Service")).findFirst().orElseThrow());
        assertThat(root.getSecurityContext()).isNull();
        assertThat(root.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0400));
    }
    @Test
    void anUpgradeThatKubernetesWouldRefuseOrLeaveBehindIsNamedBeforeItIsApplied() {
        Deployment base = Deployment.builder("shop")
                .service("db", s -> s.image("postgres:16").volume("data", "/var/lib/postgresql/data"))
                .job("migrate", j -> j.image("migrate:1").dependsOn("db", dev.ordo.Condition.STARTED))
                .service("api", s -> s.image("api:1").port(8080))
                .build();
        Plan before = base.plan();
        assertThat(KubernetesManifests.of(before).upgradeProblems(before)).isEmpty();
        // a new image for the service only: a Deployment's template may change
        assertThat(KubernetesManifests.of(base.toBuilder().service("api", s -> s.image("api:2").port(8080)).build()
                .plan()).upgradeProblems(before)).isEmpty();

        Plan after = base.toBuilder()
                .job("migrate", j -> j.image("migrate:2").dependsOn("db", dev.ordo.Condition.STARTED))
                .service("db", s -> s.image("postgres:16").volume("data", "/var/lib/postgresql/data")
                        .volume("wal", "/var/lib/postgresql/wal"))
                .service("api", s -> s.image("api:1").port(8080).volume("cache", "/cache"))
                .build().plan();
        // a changed job is a new Job (its name carries its template's hash): nothing to refuse
        assertThat(KubernetesManifests.of(after).upgradeProblems(before))
                .noneMatch(p -> p.startsWith("Job/"))
                .anySatisfy(p -> assertThat(p).startsWith("StatefulSet/db: its volumeClaimTemplates changed"))
                .anySatisfy(p -> assertThat(p).startsWith("Deployment/api is now a StatefulSet")
                        .contains("kubectl delete deployment api"));
    }

    @Test
    void aVolumeDeclaredReadWriteManyIsAReadWriteManyClaimAndTurningItSoIsAnUpgradeProblem() {
        Deployment once = Deployment.builder("files")
                .service("web", s -> s.image("nginx:1.27").volume("uploads", "/srv/uploads"))
                .service("worker", s -> s.image("worker:1").volume("uploads", "/uploads"))
                .build();
        Deployment many = once.toBuilder().volume(dev.ordo.Volume.of("uploads").readWriteMany()).build();
        java.util.function.Function<Deployment, List<String>> modes = d -> parse(KubernetesManifests.of(d.plan())
                .render()).stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.PersistentVolumeClaim)
                .flatMap(o -> ((io.fabric8.kubernetes.api.model.PersistentVolumeClaim) o).getSpec().getAccessModes()
                        .stream()).toList();
        assertThat(modes.apply(once)).containsExactly("ReadWriteOnce");
        assertThat(modes.apply(many)).containsExactly("ReadWriteMany");
        assertThat(KubernetesManifests.of(many.plan()).warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("volume 'uploads' is mounted by [web, worker]").contains("ReadWriteMany")
                .doesNotContain("Multi-Attach"));
        assertThat(KubernetesManifests.of(once.plan()).warnings()).anySatisfy(w -> assertThat(w)
                .contains("Multi-Attach").contains("Volume.of(\"uploads\").readWriteMany()"));
        assertThat(KubernetesManifests.of(many.plan()).upgradeProblems(once.plan())).singleElement()
                .satisfies(p -> assertThat(p).startsWith("PersistentVolumeClaim/files-uploads: its access mode"
                        + " changed ([ReadWriteOnce] to [ReadWriteMany])"));
    }
}
