package dev.ordo.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.Deployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunReport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The client-side rate limit keeps an up under the API server's own limit: against a server that answers 429 beyond
 * 60 of Ordo's requests in any second, an up of 60 nodes limited to 30 a second with bursts of 20 (at most 50 in
 * any second) meets no 429. (bench/k8s/run.sh shows the same server limit answering 429 to an unlimited client.)
 */
class RateLimitTest {
    @Test
    void anUpUnderTheClientLimitMeetsNo429() {
        Deployment d = KubernetesScaleBenchmark.generated(60);
        try (MockCluster cluster = new MockCluster(60);
             KubernetesBackend k8s = cluster.backend().rateLimit(30, 20)) {
            RunReport up = Orchestrator.using(k8s).timeout(Duration.ofMinutes(5)).up(d.plan());
            assertThat(up.succeeded()).as(up.render()).isTrue();
            assertThat(cluster.tooMany.get()).as("requests answered 429").isZero();
        }
    }

    @Test
    void aLimitThatCannotWorkIsAnErrorNamingIt() {
        try (MockCluster cluster = new MockCluster(); KubernetesBackend k8s = cluster.backend()) {
            assertThatThrownBy(() -> k8s.rateLimit(0, 10)).hasMessageContaining("positive rate");
            assertThatThrownBy(() -> k8s.rateLimit(10, 0)).hasMessageContaining("burst of at least 1");
        }
    }
}
