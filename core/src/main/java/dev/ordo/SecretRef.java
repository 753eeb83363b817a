package dev.ordo;

import java.util.Objects;

/**
 * A node's use of a deployment {@link Secret}: as a read-only file (the default, at {@code /run/secrets/<name>})
 * or, by explicit opt-in, as an environment variable (visible to {@code docker inspect}).
 *
 * <pre>{@code
 * .service("database", s -> s.secret("db-password"))                       // /run/secrets/db-password
 * .service("legacy", s -> s.secretAsEnv("db-password", "MYSQL_PASSWORD"))  // opt-in environment variable
 * }</pre>
 *
 * @param secret      the secret's name
 * @param path        the file path inside the container, empty when delivered as an environment variable
 * @param environment the environment variable name, empty when delivered as a file
 */
public record SecretRef(String secret, String path, String environment) {
    /** Where secrets are mounted unless a path is given. */
    public static final String DEFAULT_DIRECTORY = "/run/secrets/";

    public SecretRef {
        Objects.requireNonNull(secret, "secret == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(environment, "environment == null");
    }

    /** The secret as a file at {@code /run/secrets/<name>}. */
    public static SecretRef file(String secret) {
        return new SecretRef(secret, DEFAULT_DIRECTORY + secret, "");
    }

    /** The secret as a file at {@code path}. */
    public static SecretRef file(String secret, String path) {
        return new SecretRef(secret, path, "");
    }

    /** The secret as environment variable {@code variable}. */
    public static SecretRef environment(String secret, String variable) {
        return new SecretRef(secret, "", variable);
    }

    /** Whether the secret is delivered as an environment variable. */
    public boolean isEnvironment() {
        return !environment.isEmpty();
    }
}
