package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Build;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.Network;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.Security;
import dev.ordo.Volume;
import dev.ordo.run.DownOptions;
import dev.ordo.run.NodeState;
import dev.ordo.run.Orchestrator;
import dev.ordo.testing.ReportAssert;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each setting Kubernetes cannot express is refused by every export (single file, Kustomize base, Helm chart) and
 * by the live backend's prepare, before anything is written or created, with a message naming the node (or network),
 * the setting and the fix; all of a deployment's refusals come in one list. The settings it expresses differently
 * are mapped (propagation, user ids, external and named volumes) or warned about (plain networks, a node built on
 * Docker that has an image). The contract's scenarios for these settings point here.
 */
class KubernetesRefusalsTest extends ManifestTests {
    @TempDir
    Path dir;

    /** Every export and prepare refuse {@code d}; {@code message} checks the message they all give. */
    private void refusedEverywhere(Deployment d, Consumer<AbstractThrowableAssert<?, ? extends Throwable>> message) {
        var manifests = KubernetesManifests.of(d.plan());
        message.accept(assertThatThrownBy(manifests::render).isInstanceOf(OrdoException.class)
                .hasMessageStartingWith("deployment '" + d.name() + "' cannot run on Kubernetes as it is:"));
        message.accept(assertThatThrownBy(() -> manifests.writeKustomizeBase(dir.resolve("base"))));
        message.accept(assertThatThrownBy(() -> manifests.writeHelmChart(dir.resolve("chart"))));
        assertThat(dir.resolve("base")).doesNotExist();
        assertThat(dir.resolve("chart")).doesNotExist();
        try (KubernetesBackend k8s = cluster.backend()) {
            message.accept(assertThatThrownBy(() -> k8s.prepare(d)).isInstanceOf(OrdoException.class));
            assertThat(cluster.client.namespaces().withName(d.name()).get()).as("nothing created").isNull();
        }
    }

    private static Deployment one(String node, Consumer<dev.ordo.ServiceBuilder> spec) {
        return Deployment.builder("shop").service(node, spec).build();
    }

    @Test
    void aPortPublishedOnOneHostAddressIsRefused() {
        refusedEverywhere(one("db", s -> s.image("postgres:16").port(Port.published(5432, 5432).onHostIp("127.0.0.1"))),
                m -> m.hasMessageContaining("service 'db' publishes port 5432 on host address 127.0.0.1, which"
                        + " Kubernetes cannot honour: Ordo makes a published port a Service reachable inside the"
                        + " cluster, on no host address; drop the address (Port.published(5432, 5432)), or publish"
                        + " it yourself through a NodePort Service or an Ingress"));
    }

    @Test
    void selinuxRelabellingOfABindMountIsRefused() {
        refusedEverywhere(one("web", s -> s.image("nginx:1").mount(Mount.bind("/srv/conf", "/etc/app")
                        .relabel(Mount.Relabel.PRIVATE))),
                m -> m.hasMessageContaining("service 'web' bind-mounts '/srv/conf' at '/etc/app' with SELinux"
                        + " relabelling (:Z), which Kubernetes cannot do: it relabels only volumes it manages, never a"
                        + " host path; drop the relabelling, or label the directory on the cluster's nodes yourself"
                        + " (chcon -Rt container_file_t /srv/conf)"));
    }

    @Test
    void propagationWithoutAKubernetesFormIsRefused() {
        refusedEverywhere(one("agent", s -> s.image("agent:1")
                        .mount(Mount.bind("/var/lib/a", "/a").propagation(Mount.Propagation.RSHARED))
                        .mount(Mount.bind("/var/lib/b", "/b").propagation(Mount.Propagation.SLAVE))
                        .mount(Mount.bind("/var/lib/c", "/c").propagation(Mount.Propagation.SHARED))),
                m -> m.hasMessageContaining("service 'agent' bind-mounts '/var/lib/a' at '/a' with propagation"
                                + " rshared, which Kubernetes calls Bidirectional and allows in privileged containers"
                                + " only, and Ordo runs none privileged; use RSLAVE (HostToContainer), or drop the"
                                + " propagation")
                        .hasMessageContaining("service 'agent' bind-mounts '/var/lib/b' at '/b' with propagation"
                                + " slave, which Kubernetes cannot express: its propagation is always recursive"
                                + " (rprivate is None, rslave HostToContainer); use RSLAVE or RPRIVATE, or drop the"
                                + " propagation")
                        .hasMessageContaining("'/var/lib/c' at '/c' with propagation shared, which Kubernetes cannot"
                                + " express")
                        .hasMessageContaining("use RSHARED or RPRIVATE"));
    }

    @Test
    void internalAndExternalNetworksAreRefused() {
        Deployment d = Deployment.builder("shop")
                .network(Network.of("backend").asInternal())
                .network(Network.external("proxy"))
                .service("db", s -> s.image("postgres:16").networks("backend"))
                .service("web", s -> s.image("nginx:1").networks("backend", "proxy"))
                .build();
        refusedEverywhere(d, m -> m.hasMessageContaining("network 'backend' is internal (no route out of it), which"
                        + " Kubernetes cannot make: it has one flat pod network, where service 'db', service 'web'"
                        + " reach and are reached by every pod of the cluster; drop internal (asInternal(), Compose's"
                        + " internal: true), and enforce the isolation with a NetworkPolicy of your own")
                .hasMessageContaining("network 'proxy' is external (an existing network that service 'web' join),"
                        + " which Kubernetes has no counterpart of: it has one flat pod network; drop the network from"
                        + " the deployment and its nodes, and reach what is on it through a Service"));
    }

    @Test
    void aVolumeMadeByADockerDriverIsRefused() {
        Deployment d = Deployment.builder("shop")
                .volume(dev.ordo.Volume.of("scratch").driver("local", java.util.Map.of("type", "tmpfs", "device",
                        "tmpfs")))
                .service("db", s -> s.image("postgres:16").volume("scratch", "/scratch"))
                .build();
        refusedEverywhere(d, m -> m.hasMessageContaining("volume 'scratch' is made by volume driver 'local' with"
                + " options {device=tmpfs, type=tmpfs}, which Kubernetes has no counterpart of (its claims are made by"
                + " storage classes); drop the driver and its options"));
    }

    @Test
    void aUserGivenByNameIsRefused() {
        refusedEverywhere(one("cache", s -> s.image("redis:7").security(Security.none().user("redis:redis"))),
                m -> m.hasMessageContaining("service 'cache' runs as user 'redis:redis', given by name, but"
                        + " Kubernetes takes numeric ids only (runAsUser, runAsGroup); give the ids instead, e.g."
                        + " .security(Security.none().user(\"999:999\")) (docker run --rm --entrypoint id redis:7"
                        + " redis prints them)"));
    }

    @Test
    void theImagesOwnHealthCheckIsRefusedAsHealthAndAsLiveness() {
        refusedEverywhere(one("db", s -> s.image("postgres:16").healthCheck(HealthCheck.fromImage())
                        .liveness(HealthCheck.fromImage())),
                m -> m.hasMessageContaining("service 'db' takes its health check from its image's HEALTHCHECK,"
                                + " which Kubernetes cannot read; give the test itself, e.g. HealthCheck.command(...)"
                                + " with what docker inspect --format '{{json .Config.Healthcheck}}' postgres:16 shows")
                        .hasMessageContaining("service 'db' takes its liveness check from its image's HEALTHCHECK"));
    }

    @Test
    void anOnFailureRestartLimitIsRefused() {
        refusedEverywhere(one("flaky", s -> s.image("flaky:1").restart(RestartPolicy.ON_FAILURE).maxRestarts(2)),
                m -> m.hasMessageContaining("service 'flaky' may restart at most 2 times after failing"
                        + " (on-failure:2), but Kubernetes restarts a Deployment's or StatefulSet's containers without"
                        + " a limit; drop the limit (maxRestarts(0)), or make it a job with .retries(2) if it should"
                        + " run to completion"));
    }

    @Test
    void aNodeThatIsOnlyBuiltIsRefusedNamingTheImageToPush() {
        refusedEverywhere(one("api", s -> s.build(Build.context("./api"))),
                m -> m.hasMessageContaining("service 'api' is only built (from ./api); Kubernetes cannot build: build"
                        + " and push it (docker build -t REGISTRY/shop-api ./api && docker push REGISTRY/shop-api) and"
                        + " give it that image (.image(\"REGISTRY/shop-api\"))"));
        refusedEverywhere(one("api", s -> s.build(Build.context("services/api/").dockerfile("Dockerfile.dev")
                        .target("runtime"))),
                m -> m.hasMessageContaining("docker build -t REGISTRY/shop-api -f services/api/Dockerfile.dev"
                        + " --target runtime services/api/ && docker push REGISTRY/shop-api"));
    }

    @Test
    void everyRefusalOfADeploymentComesInOneList() {
        Deployment d = Deployment.builder("shop")
                .network(Network.of("backend").asInternal())
                .service("db", s -> s.image("postgres:16").networks("backend")
                        .port(Port.published(5432, 5432).onHostIp("::1")).healthCheck(HealthCheck.fromImage()))
                .service("cache", s -> s.image("redis:7").security(Security.none().user("redis")))
                .service("web", s -> s.image("nginx:1").mount(Mount.bind("/srv", "/srv").relabel(Mount.Relabel.SHARED))
                        .restart(RestartPolicy.ON_FAILURE).maxRestarts(3))
                .service("api", s -> s.build(Build.context("./api")).port(80))
                .service("9lives", s -> s.image("cat:1").port(9))                     // the API server's rule
                .build();
        var failure = assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).render());
        failure.extracting(Throwable::getMessage).satisfies(m -> assertThat(m.split("\n  - ")).hasSize(1 + 8));
        refusedEverywhere(d, m -> m.hasMessageContaining("network 'backend' is internal")
                .hasMessageContaining("service 'db' publishes port 5432 on host address ::1")
                .hasMessageContaining("service 'db' takes its health check from its image's HEALTHCHECK")
                .hasMessageContaining("service 'cache' runs as user 'redis', given by name")
                .hasMessageContaining("service 'web' bind-mounts '/srv' at '/srv' with SELinux relabelling (:z)")
                .hasMessageContaining("service 'web' may restart at most 3 times")
                .hasMessageContaining("service 'api' is only built (from ./api)")
                .hasMessageContaining("service '9lives' gets a Service, whose name must start with a letter"));
    }

    @Test
    void whatKubernetesExpressesOtherwiseIsMappedOrWarnedAbout() {
        Deployment d = Deployment.builder("shop")
                .network(Network.of("backend"))
                .service("agent", s -> s.image("agent:1").networks("backend", Network.DEFAULT)
                        .mount(Mount.bind("/var/lib/a", "/a").propagation(Mount.Propagation.RSLAVE))
                        .mount(Mount.bind("/var/lib/b", "/b").propagation(Mount.Propagation.RPRIVATE))
                        .mount(Mount.bind("/var/lib/c", "/c"))
                        .security(Security.none().user("root")).healthCheck(HealthCheck.tcp(9000)))
                .service("api", s -> s.image("shop-api:dev").build(Build.context("./api")).networks("backend")
                        .security(Security.none().user("1000:0")).healthCheck(HealthCheck.tcp(8080)))
                .build();
        var manifests = KubernetesManifests.of(d.plan());
        List<HasMetadata> objects = parse(manifests.render());
        var agent = podSpec(objects, "agent").getContainers().get(0);
        assertThat(agent.getVolumeMounts()).extracting(m -> m.getMountPath() + " " + m.getMountPropagation())
                .containsExactly("/a HostToContainer", "/b None", "/c null");
        assertThat(agent.getSecurityContext().getRunAsUser()).isZero();
        var api = podSpec(objects, "api").getContainers().get(0);
        assertThat(api.getImage()).isEqualTo("shop-api:dev");
        assertThat(api.getSecurityContext().getRunAsUser()).isEqualTo(1000);
        assertThat(api.getSecurityContext().getRunAsGroup()).isZero();
        assertThat(manifests.warnings())
                .contains("network 'backend' is part of the one flat pod network on Kubernetes: every pod reaches"
                        + " every other, so the isolation networks give on Docker is not kept; enforce it with"
                        + " NetworkPolicies of your own if it matters",
                        "Kubernetes does not build images, so what Ordo builds on Docker is pulled as the cluster's"
                        + " registry has it: service 'api' runs 'shop-api:dev'; build and push that image first"
                        + " (docker build -t IMAGE CONTEXT && docker push IMAGE)");
        assertThat(manifests.render()).contains("# WARNING: network 'backend' is part of the one flat pod network");
        // the backend runs the image it was given, as the contract's built-image scenario does too
        try (KubernetesBackend k8s = cluster.backend()) {
            ReportAssert.assertThat(Orchestrator.using(k8s).timeout(Duration.ofSeconds(30)).up(d.plan()))
                    .succeeded().hasState("api", NodeState.HEALTHY);
        }
    }

    @Test
    void anExternalVolumeIsAClaimThatMustExistAndThatOrdoNeverCreatesNorDeletes() {
        Deployment d = Deployment.builder("shop")
                .volume(Volume.external("pg_data"))
                .volume(Volume.of("cache").named("shared-cache"))
                .service("db", s -> s.image("postgres:16").volume("pg_data", "/var/lib/postgresql/data")
                        .volume("cache", "/cache"))
                .build();
        var manifests = KubernetesManifests.of(d.plan());
        List<HasMetadata> objects = parse(manifests.render());
        // the external claim is mounted, not made; the named one is made under exactly its name, not as a template
        assertThat(objects).filteredOn(o -> o instanceof PersistentVolumeClaim)
                .extracting(o -> o.getMetadata().getName()).containsExactly("shared-cache");
        StatefulSet db = (StatefulSet) objects.stream().filter(o -> o instanceof StatefulSet).findFirst().orElseThrow();
        assertThat(db.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(db.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(v -> v.getPersistentVolumeClaim() == null ? null : v.getPersistentVolumeClaim().getClaimName())
                .containsExactly("pg-data", "shared-cache");
        assertThat(manifests.warnings()).contains("volume 'pg_data' is external: these manifests mount the"
                + " PersistentVolumeClaim 'pg-data' and do not create it, so it must exist in the namespace they are"
                + " applied to");

        try (KubernetesBackend k8s = cluster.backend()) {
            Orchestrator ordo = Orchestrator.using(k8s).timeout(Duration.ofSeconds(30));
            assertThatThrownBy(() -> ordo.up(d.plan())).isInstanceOf(OrdoException.class)
                    .hasMessageContaining("volume 'pg_data' is external, but its PersistentVolumeClaim 'pg-data' does"
                            + " not exist in namespace 'shop'; create it there (kubectl apply -n shop -f"
                            + " <claim>.yaml), or drop external so that Ordo creates the volume");
            assertThat(cluster.client.namespaces().withName("shop").get()).as("nothing created").isNull();
            cluster.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName("shop").endMetadata().build()).create();
            cluster.client.persistentVolumeClaims().inNamespace("shop").resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("pg-data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity("5Gi")).endResources().endSpec()
                    .build()).create();
            ReportAssert.assertThat(ordo.up(d.plan())).succeeded().hasState("db", NodeState.STARTED);
            assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").withName("shared-cache").get())
                    .isNotNull();
            ReportAssert.assertThat(ordo.down(d, DownOptions.defaults().removeVolumes(true))).succeeded();
            assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").withName("pg-data").get())
                    .as("the external claim, kept").isNotNull();
            assertThat(cluster.client.persistentVolumeClaims().inNamespace("shop").withName("shared-cache").get())
                    .as("the deployment's own named claim, removed with its volumes").isNull();
        }
    }

    private static io.fabric8.kubernetes.api.model.PodSpec podSpec(List<HasMetadata> objects, String name) {
        return objects.stream().filter(o -> o.getMetadata().getName().equals(name)
                && o instanceof io.fabric8.kubernetes.api.model.apps.Deployment).map(ManifestTests::podSpec)
                .findFirst().orElseThrow();
    }
}
