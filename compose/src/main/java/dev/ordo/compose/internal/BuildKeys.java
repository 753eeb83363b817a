package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Build;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A compose service's {@code build} as an Ordo {@link Build}: a context string, or {@code context},
 * {@code dockerfile}, {@code target}, {@code args} (a bare key takes the variable's value), {@code labels};
 * {@code pull_policy: build} builds every time; other build keys are named in a warning.
 *
 * <pre>{@code
 * BuildKeys.read(def, at, variables::get, warnings::add).ifPresent(builder::build);
 * }</pre>
 */
final class BuildKeys {
    private BuildKeys() {
    }

    static Optional<Build> read(JsonNode def, UnaryOperator<String> at, Function<String, String> variables,
                                Consumer<String> warning) {
        JsonNode bd = def.get("build");
        if (bd == null || bd.isNull()) {
            return Optional.empty();
        }
        if (bd.isTextual()) {
            return Optional.of(Build.context(bd.asText()));
        }
        Build b = Build.context(bd.path("context").asText("."));
        if (bd.hasNonNull("dockerfile")) {
            b = b.dockerfile(bd.get("dockerfile").asText());
        }
        if (bd.hasNonNull("target")) {
            b = b.target(bd.get("target").asText());
        }
        for (Map.Entry<String, JsonNode> e : ServiceReader.entries(bd.path("args")).entrySet()) {
            String v = e.getValue().isNull() ? variables.apply(e.getKey()) : e.getValue().asText();
            if (v != null) {
                b = b.arg(e.getKey(), v);
            }
        }
        for (Map.Entry<String, JsonNode> e : ServiceReader.entries(bd.path("labels")).entrySet()) {
            b = b.label(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        }
        if ("build".equals(def.path("pull_policy").asText())) {
            b = b.policy(Build.Policy.ALWAYS);
        }
        for (String k : iterable(bd)) {
            if (!Set.of("context", "dockerfile", "target", "args", "labels").contains(k)) {
                warning.accept(at.apply("build." + k + " is not supported by Ordo and is ignored"));
            }
        }
        return Optional.of(b);
    }

    private static Iterable<String> iterable(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

}
