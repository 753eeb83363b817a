package dev.ordo.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link TestDeployment} field, or a method without parameters that returns a {@link TestDeployment} or a
 * {@link dev.ordo.Deployment} (brought up on the simulated backend): the {@link OrdoExtension} brings it up before
 * the tests and tears it down after them, also when a test fails. A {@code static} member is brought up once for the
 * test class, an instance member once for each test; tests reach a method's deployment through an injected
 * {@link TestDeployment} parameter. A class annotation is needed only when the deployment comes from a method
 * ({@code @ExtendWith(OrdoExtension.class)}).
 *
 * <pre>{@code
 * class ShopTest {
 *     @Deployed
 *     static final TestDeployment SHOP = TestDeployment.of(Shop.deployment()).onDocker();
 *
 *     @Test
 *     void apiAnswers() {
 *         String api = SHOP.address("api", 8080); // e.g. 127.0.0.1:49153
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(OrdoExtension.class)
public @interface Deployed {
}
