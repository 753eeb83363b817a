package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.ClpTopology;
import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.Toleration;
import dev.ordo.kubernetes.internal.ApiServerRules;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the API server or a controller would refuse is refused before anything is written or created. */
class ApiServerRulesTest {
    @Test
    void everythingKubernetesWouldRefuseIsNamedAtOnceWithItsFix() {
        String longName = "s".repeat(53);
        Deployment d = Deployment.builder("shop")
                .service("1db", s -> s.image("postgres:16").port(5432))                  // Service name: DNS-1035
                .service("2cache", s -> s.image("redis:7"))                             // no port: no Service, fine
                .service("api", s -> s.image("api:1").label("team", "web shop")         // space in a label value
                        .label("example.com/owner", "a/b")                              // '/' in a label value
                        .label("bad key!", "x")
                        .env("1ST VAR", "x").env("GOOD_VAR", "y"))                       // env names: Kubernetes 1.32 takes them
                .service("wait-for-api", s -> s.image("w:1").dependsOn("api", Condition.STARTED))  // container clash
                .service(longName, s -> s.image("x:1").volume("data", "/data"))          // StatefulSet name > 52
                .job("report", j -> j.image("r:1").onDemand())
                .trigger("t".repeat(53), t -> t.target("report").manual())               // CronJob name > 52
                .build();
        assertThat(ApiServerRules.problems(d)).containsExactlyInAnyOrder(
                "service '1db' gets a Service, whose name must start with a letter (DNS-1035); rename it, e.g."
                        + " 'n-1db'",
                "service 'api' has label team='web shop', whose value Kubernetes refuses: at most 63 letters,"
                        + " digits, '-', '_' or '.', starting and ending alphanumeric (no spaces or '/'); put free text"
                        + " in an annotation",
                "service 'api' has label example.com/owner='a/b', whose value Kubernetes refuses: at most 63"
                        + " letters, digits, '-', '_' or '.', starting and ending alphanumeric (no spaces or '/'); put"
                        + " free text in an annotation",
                "service 'api' has label key 'bad key!', which Kubernetes refuses: use an optional DNS prefix and"
                        + " '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric",
                "service 'wait-for-api' and its waiter for 'api' would both be containers named 'wait-for-api' in"
                        + " one pod; rename the node",
                "service '" + longName + "' becomes a StatefulSet, whose name may have at most 52 characters (the"
                        + " controller adds a revision hash to its pods' labels); shorten it",
                "trigger '" + "t".repeat(53) + "' becomes a CronJob, whose name may have at most 52 characters"
                        + " (Jobs get an 11-character suffix); shorten it");
        assertThatThrownBy(() -> KubernetesManifests.of(d.plan()).render())
                .hasMessageContaining("deployment 'shop' cannot run on Kubernetes as it is")
                .hasMessageContaining("service '1db'").hasMessageContaining("trigger 'ttt");
    }

    @Test
    void nodeSelectorsAndTolerationsFollowTheApiServersRules() {
        Deployment d = Deployment.builder("shop")
                .service("api", s -> s.image("api:1")
                        .nodeSelector("disk type", "ssd")                                              // key
                        .nodeSelector("zone", "eu west")                                               // value
                        .toleration(Toleration.equal("", "x", Toleration.Effect.NO_SCHEDULE))         // no key, Equal
                        .toleration(new Toleration("gpu", Toleration.Operator.EXISTS, "yes",
                                Toleration.Effect.NO_SCHEDULE, java.util.Optional.empty()))          // Exists + value
                        .toleration(Toleration.equal("dedicated", "db", Toleration.Effect.NO_SCHEDULE)
                                .forAtMost(java.time.Duration.ofMinutes(1)))                         // seconds, not NoExecute
                        .toleration(Toleration.exists("", Toleration.Effect.ANY)))                    // fine: tolerates all
                .build();
        assertThat(ApiServerRules.problems(d)).hasSize(5).anySatisfy(p -> assertThat(p)
                        .startsWith("service 'api''s node selector has label key 'disk type'"))
                .anySatisfy(p -> assertThat(p).startsWith("service 'api''s node selector has label zone='eu west'"))
                .anySatisfy(p -> assertThat(p).contains("toleration without key that is not Exists"))
                .anySatisfy(p -> assertThat(p).contains("tolerates 'gpu=yes' with operator Exists and a value"))
                .anySatisfy(p -> assertThat(p).contains("but only a NoExecute toleration may end"));
    }

    @Test
    void theBackendRefusesBeforeCreatingAnything() {
        Deployment d = Deployment.builder("shop").service("9web", s -> s.image("nginx:1").port(80)).build();
        try (MockCluster cluster = new MockCluster(); KubernetesBackend k8s = cluster.backend()) {
            assertThatThrownBy(() -> k8s.prepare(d)).hasMessageContaining("service '9web' gets a Service");
            assertThat(cluster.objects("shop")).isEmpty();
        }
    }

    @Test
    void theClpExampleAndValidLabelsPass() {
        assertThat(ApiServerRules.problems(ClpTopology.rehearsal("clp", Duration.ofSeconds(1)).build())).isEmpty();
        Deployment ok = Deployment.builder("ok").service("web", s -> s.image("nginx:1").port(80)
                .label("app.kubernetes.io/version", "1.2.3").label("tier", "").env("http.proxy", "x")).build();
        assertThat(ApiServerRules.problems(ok)).isEmpty();
    }
}
