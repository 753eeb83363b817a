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
 * 10 of Ordo's requests in any second, an unlimited client meets 429s at once (so the limit bites), and a client
 * limited to 5 a second with bursts of 5 (at most 10 in any second) meets none.
 */
class RateLimitTest {
    private static final Deployment SMALL = KubernetesScaleBenchmark.generated(20);

    @Test
    void anUnlimitedClientMeetsTheServersLimit() {
        try (MockCluster cluster = new MockCluster(10);
             KubernetesBackend k8s = cluster.backend().rateLimit(1e9, Integer.MAX_VALUE)) {
            RunReport up = Orchestrator.using(k8s).timeout(Duration.ofMinutes(2)).up(SMALL.plan());
            assertThat(cluster.tooMany.get()).as("requests answered 429").isPositive();
            // each 429 carries Retry-After: 1; the client waits that long and sends the request again
            assertThat(up.succeeded()).as(up.render()).isTrue();
        }
    }

    @Test
    void anUpUnderTheClientLimitMeetsNo429() {
        try (MockCluster cluster = new MockCluster(10);
             KubernetesBackend k8s = cluster.backend().rateLimit(5, 5)) {
            RunReport up = Orchestrator.using(k8s).timeout(Duration.ofMinutes(2)).up(SMALL.plan());
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
