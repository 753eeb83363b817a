package dev.ordo;

/**
 * A class that gives the {@code ordo} runner a deployment written in Java: {@code ordo up --class com.example.Shop
 * --classpath shop.jar}, or a single source file, {@code ordo up -f Shop.java}. It needs a public no-argument
 * constructor.
 *
 * <pre>{@code
 * public class Shop implements DeploymentProvider {
 *     public Deployment deployment() {
 *         return Deployment.builder("shop").service("db", s -> s.image("postgres:16")).build();
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface DeploymentProvider {
    /** The deployment; called once per runner command. */
    Deployment deployment();
}
