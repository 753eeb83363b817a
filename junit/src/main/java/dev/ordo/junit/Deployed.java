package dev.ordo.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link TestDeployment} field: the {@link OrdoExtension} brings it up before the tests and tears it down
 * after them, also when a test fails. A {@code static} field is brought up once for the test class, an instance
 * field once for each test. No class annotation is needed.
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
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(OrdoExtension.class)
public @interface Deployed {
}
