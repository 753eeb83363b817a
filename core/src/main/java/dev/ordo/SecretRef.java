package dev.ordo;

import java.util.Objects;

/**
 * A node's use of a deployment {@link Secret}: as a read-only file (the default, at {@code /run/secrets/<name>})
 * or, by explicit opt-in, as an environment variable (visible to {@code docker inspect}).
 *
 * <pre>{@code
 * .service("database", s -> s.secret("db-password"))                       // /run/secrets/db-password
 * .service("legacy", s -> s.secretAsEnv("db-password", "MYSQL_PASSWORD"))  // opt-in environment variable
 * .service("postgres", s -> s.secret(SecretRef.file("db-password").owner(999, 999).mode(0440)))  // non-root reader
 * }</pre>
 *
 * @param secret      the secret's name
 * @param path        the file path inside the container, empty when delivered as an environment variable
 * @param environment the environment variable name, empty when delivered as a file
 * @param uid         the file's owner (Compose's long syntax {@code uid}); 0 = root
 * @param gid         the file's group ({@code gid}); 0 = root
 * @param mode        the file's permission bits ({@code mode}), 0400 unless given
 */
public record SecretRef(String secret, String path, String environment, int uid, int gid, int mode) {
    /** The permission bits of a secret file unless given: readable by its owner only. */
    public static final int DEFAULT_MODE = 0400;

    /** Where secrets are mounted unless a path is given. */
    public static final String DEFAULT_DIRECTORY = "/run/secrets/";

    public SecretRef {
        Objects.requireNonNull(secret, "secret == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(environment, "environment == null");
    }

    /** A use owned by root with mode {@link #DEFAULT_MODE}. */
    public SecretRef(String secret, String path, String environment) {
        this(secret, path, environment, 0, 0, DEFAULT_MODE);
    }

    /** This file, owned by user {@code uid} and group {@code gid} (numeric, as in the container's image). */
    public SecretRef owner(int uid, int gid) {
        return new SecretRef(secret, path, environment, uid, gid, mode);
    }

    /** This file, with permission bits {@code mode} (octal, e.g. {@code 0440}). */
    public SecretRef mode(int mode) {
        return new SecretRef(secret, path, environment, uid, gid, mode);
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
