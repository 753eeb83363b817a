package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What the extension leaves on the engine: nothing, after passing tests, after a failing test, and after a
 * deployment that did not come up. The inner classes are run through JUnit's own engine test kit.
 */
class TeardownDockerIT {
    /** Instance names the inner test classes saw, to look for on the engine afterwards. */
    static final List<TestDeployment> SEEN = new ArrayList<>();

    @BeforeAll
    static void image() {
        Shop.ensureImage();
    }

    static class FailingTest {
        @Deployed
        static final TestDeployment SHOP = TestDeployment.of(Shop.deployment()).onDocker();

        @Test
        void fails() {
            SEEN.add(SHOP);
            throw new AssertionError("on purpose");
        }
    }

    static class NeverUpTest {
        @Deployed
        final TestDeployment broken = TestDeployment.of(Shop.deployment().toBuilder()
                .job("migrate", j -> j.image(dev.ordo.docker.StandIns.IMAGE).shell("exit 4")).build()).onDocker();

        @Test
        void neverRuns() {
            throw new AssertionError("a test whose deployment did not come up must not run");
        }
    }

    @Test
    void aFailingTestLeavesNothingOnTheEngine() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingTest.class)).execute();
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(SEEN).hasSize(1);
        assertThat(DockerLeftovers.of(SEEN.get(0).deployment().name())).isEmpty();
    }

    @Test
    void aDeploymentThatDoesNotComeUpFailsTheTestNamingTheNodeAndLeavesNothing() {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeverUpTest.class)).execute();
        results.testEvents().assertStatistics(s -> s.started(1).failed(1));
        Throwable why = results.testEvents().failed().list().get(0).getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(why).hasMessageContaining("did not come up").hasMessageContaining("migrate");
        var name = java.util.regex.Pattern.compile("up of '(shop-[0-9a-f]{6})'").matcher(why.getMessage());
        assertThat(name.find()).as(why.getMessage()).isTrue();
        assertThat(DockerLeftovers.of(name.group(1))).isEmpty();
    }
}
