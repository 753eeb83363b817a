package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Condition;
import dev.ordo.Deployment;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.NodeState;
import dev.ordo.run.RunReport;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A living deployment under test: the handle is injected, triggers run on it, in virtual time. */
class LivingShopTest {
    @Deployed
    static final TestDeployment SHOP = TestDeployment.of(Deployment.builder("shop")
                    .service("db", s -> s.image("postgres:16"))
                    .job("report", j -> j.image("reports:1").onDemand().dependsOn("db", Condition.STARTED))
                    .trigger("nightly-report", t -> t.target("report").manual())
                    .build())
            .on(SimulatedBackend.create().exitsAfter("report", Duration.ofMinutes(3), 0))
            .living();

    @Test
    void aTriggeredRunCompletesOnTheLivingHandle(LiveDeployment live) {
        RunReport run = live.trigger("nightly-report", Map.of()).join();
        assertThat(run.succeeded()).as(run.render()).isTrue();
        assertThat(run.node("report").state()).isEqualTo(NodeState.COMPLETED);
        assertThat(SHOP.live().history("nightly-report")).hasSize(1);
        assertThat(SHOP.report().node("db").state()).isEqualTo(NodeState.STARTED);
    }
}
