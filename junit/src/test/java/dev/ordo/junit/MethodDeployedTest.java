package dev.ordo.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.run.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A deployment declared by a method: brought up once for the class, reached through an injected parameter. */
@ExtendWith(OrdoExtension.class)
class MethodDeployedTest {
    static int calls;

    @Deployed
    static Deployment shop() {
        calls++;
        return Shop.deployment();
    }

    @Test
    void theMethodsDeploymentIsInjected(TestDeployment shop) {
        assertThat(shop.report().succeeded()).isTrue();
        assertThat(shop.report().node("api").state()).isEqualTo(NodeState.HEALTHY);
        assertThat(calls).isEqualTo(1);
    }

    @Test
    void andCalledOncePerClass(TestDeployment shop) {
        assertThat(shop.deployment().name()).startsWith("shop-");
        assertThat(calls).isEqualTo(1);
    }
}
