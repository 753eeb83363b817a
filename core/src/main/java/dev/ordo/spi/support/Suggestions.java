package dev.ordo.spi.support;

import dev.ordo.internal.Names;
import java.util.Collection;

/**
 * "Did you mean" hints for backend errors that name something undefined, with the same rules as core's own
 * validation messages.
 *
 * <pre>{@code
 * "engine 'pc4' is not defined" + Suggestions.didYouMean("pc4", List.of("pc1", "pc2"));   // ...; did you mean 'pc1'?
 * }</pre>
 */
public final class Suggestions {
    private Suggestions() {
    }

    /** {@code "; did you mean 'x'?"} for the closest of {@code candidates}, or the empty string. */
    public static String didYouMean(String name, Collection<String> candidates) {
        return Names.didYouMean(name, candidates);
    }
}
