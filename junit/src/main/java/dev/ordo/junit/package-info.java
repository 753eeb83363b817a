/**
 * The JUnit 5 extension: {@link dev.ordo.junit.Deployed @Deployed} {@link dev.ordo.junit.TestDeployment} fields are
 * brought up before the tests (on the simulated backend or a real Docker engine) and torn down after.
 *
 * <pre>{@code
 * @Deployed
 * static final TestDeployment SHOP = TestDeployment.of(shop).onDocker();
 * }</pre>
 */
package dev.ordo.junit;
