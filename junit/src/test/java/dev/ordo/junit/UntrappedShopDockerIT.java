package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import org.junit.jupiter.api.Test;

/**
 * The three-node test with processes that ignore SIGTERM (shells and busybox as PID 1): brought up and torn down on
 * the real engine, killed at once by default (bench/junit/run.sh prints its wall time beside Testcontainers').
 */
class UntrappedShopDockerIT {
    static {
        Shop.ensureImage();
    }

    @Deployed
    static final TestDeployment SHOP = TestDeployment.of(Shop.untrapped()).onDocker();

    @Test
    void theDeploymentComesUpInOrder(RunReport report) {
        ReportAssert.assertThat(report).succeeded().respectsDependencies(SHOP.deployment().plan());
        assertThat(SHOP.logs("migrate")).containsExactly("migrating", "ready", "migrated");
    }
}
