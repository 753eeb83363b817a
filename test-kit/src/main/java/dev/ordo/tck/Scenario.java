package dev.ordo.tck;

import java.util.Objects;

/**
 * One scenario of the backend contract: a name that says what must hold, and the steps that check it on a
 * {@link Trial}.
 *
 * <pre>{@code
 * new Scenario("jobs: a non-zero exit fails the job", t -> { ... });
 * }</pre>
 *
 * @param name what the scenario checks, as shown in the test report
 * @param body the steps
 */
public record Scenario(String name, Body body) {
    /** A scenario's steps. */
    @FunctionalInterface
    public interface Body {
        /** Runs the scenario; throws {@link AssertionError} when the backend breaks the contract. */
        void run(Trial trial) throws Exception;
    }

    public Scenario {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(body, "body == null");
    }
}
