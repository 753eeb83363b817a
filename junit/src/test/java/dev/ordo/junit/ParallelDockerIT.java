package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Two test classes that bring the same deployment up on one engine at the same time (JUnit's parallel execution)
 * never touch each other's containers: each runs under its own instance name.
 */
class ParallelDockerIT {
    /** Both classes' tests wait here, so that both deployments are up at the same time. */
    static final CyclicBarrier BOTH_UP = new CyclicBarrier(2);
    static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    static void meetAndCheck(TestDeployment shop) throws Exception {
        String name = shop.deployment().name();
        NAMES.add(name);
        BOTH_UP.await(120, TimeUnit.SECONDS);
        // this instance's three nodes are there and still its own: the other class's up did not replace them
        assertThat(DockerLeftovers.of(name)).hasSize(2); // containers, network (no volumes)
        assertThat(shop.exec("db", "hostname").exitCode()).isZero();
        assertThat(shop.report().succeeded()).isTrue();
    }

    static class First {
        @Deployed
        static final TestDeployment SHOP = TestDeployment.of(Shop.deployment()).onDocker();

        @Test
        void up() throws Exception {
            meetAndCheck(SHOP);
        }
    }

    static class Second {
        @Deployed
        static final TestDeployment SHOP = TestDeployment.of(Shop.deployment()).onDocker();

        @Test
        void up() throws Exception {
            meetAndCheck(SHOP);
        }
    }

    @Test
    void twoClassesDeployingTheSameTopologyAtOnceEachGetTheirOwnInstance() {
        Shop.ensureImage();
        var results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .selectors(selectClass(First.class), selectClass(Second.class)).execute();
        results.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(NAMES).hasSize(2).allMatch(n -> n.matches("shop-[0-9a-f]{6}"));
        for (String name : List.copyOf(NAMES)) {
            assertThat(DockerLeftovers.of(name)).as("what %s left", name).isEmpty();
        }
    }
}
