package dev.ordo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named secret value, read only when a backend delivers it. Its value never appears in {@link #toString()}, in
 * logs, in labels or in exception messages.
 *
 * <pre>{@code
 * Deployment.builder("clp")
 *     .secret(Secret.fromEnv("db-password", "CLP_DB_PASS"))
 *     .secret(Secret.fromFile("tls-key", Path.of("/etc/clp/tls.key")))
 *     .service("database", s -> s.image("mysql:8.0.23").secret("db-password"))
 * }</pre>
 */
public final class Secret {
    /** Where a secret's value comes from. */
    public enum Source {
        /** An environment variable of the process running Ordo. */
        ENV,
        /** A file on the machine running Ordo. */
        FILE,
        /** A value given in code. */
        LITERAL
    }

    private final String name;
    private final Source source;
    private final String reference;
    private final byte[] literal;
    private final transient Function<String, String> environment;

    private Secret(String name, Source source, String reference, byte[] literal,
                   Function<String, String> environment) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.source = source;
        this.reference = reference;
        this.literal = literal;
        this.environment = environment;
    }

    /** A secret read from environment variable {@code variable} when delivered. */
    public static Secret fromEnv(String name, String variable) {
        return fromEnv(name, variable, System::getenv);
    }

    /**
     * A secret read from variable {@code variable} through {@code environment} when delivered: e.g. a compose
     * project's variables, where {@code .env} sets what the process's environment does not. The function is called
     * only at delivery and takes part in neither equality nor {@code toString()}.
     */
    public static Secret fromEnv(String name, String variable, Function<String, String> environment) {
        return new Secret(name, Source.ENV, Objects.requireNonNull(variable, "variable == null"), new byte[0],
                Objects.requireNonNull(environment, "environment == null"));
    }

    /** A secret read from {@code file} when delivered. */
    public static Secret fromFile(String name, Path file) {
        return new Secret(name, Source.FILE, Objects.requireNonNull(file, "file == null").toString(), new byte[0],
                System::getenv);
    }

    /** A secret whose value is given here; prefer {@link #fromEnv} or {@link #fromFile} outside tests. */
    public static Secret literal(String name, String value) {
        Objects.requireNonNull(value, "value == null");
        return new Secret(name, Source.LITERAL, "", value.getBytes(StandardCharsets.UTF_8), System::getenv);
    }

    /** The secret's name, a DNS-1123 label. */
    public String name() {
        return name;
    }

    /** Where the value comes from. */
    public Source source() {
        return source;
    }

    /** The environment variable or file the value is read from; empty for a literal. Never the value itself. */
    public String reference() {
        return reference;
    }

    /**
     * Reads the value now. Backends call this when they deliver the secret; nothing else should.
     *
     * @throws OrdoException naming the secret and its source when the value cannot be read
     */
    public byte[] value() {
        switch (source) {
            case LITERAL:
                return literal.clone();
            case ENV: {
                String v = environment.apply(reference);
                if (v == null) {
                    throw new OrdoException("secret '" + name + "' is read from environment variable '" + reference
                            + "', which is not set; export it before running Ordo");
                }
                return v.getBytes(StandardCharsets.UTF_8);
            }
            case FILE:
                try {
                    return Files.readAllBytes(Path.of(reference));
                } catch (IOException e) {
                    throw new OrdoException("secret '" + name + "' is read from file '" + reference
                            + "', which cannot be read (" + e.getClass().getSimpleName()
                            + "); create it or fix the path", e);
                }
            default:
                throw new AssertionError(source);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.name.equals(name) && s.source == source && s.reference.equals(reference)
                && Arrays.equals(s.literal, literal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, source, reference);
    }

    @Override
    public String toString() {
        return "Secret[" + name + " from " + switch (source) {
            case ENV -> "env " + reference;
            case FILE -> "file " + reference;
            case LITERAL -> "literal ****";
        } + "]";
    }
}
