package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A compose service's {@code healthcheck} as an Ordo health check: {@code test} as CMD, CMD-SHELL (a string too) or
 * NONE, with interval, timeout, retries and start period; Ordo's own HTTP, TCP and log-line checks from
 * {@code x-ordo.healthcheck}, which win over {@code test}.
 *
 * <pre>{@code
 * Optional<HealthCheck> hc = new HealthReader(def, at, problems::add, warnings::add, durations).read();
 * }</pre>
 */
final class HealthReader {
    private static final Set<String> KEYS = Set.of("test", "interval", "timeout", "retries", "start_period",
            "disable", "start_interval");
    private final JsonNode def;
    private final UnaryOperator<String> at;
    private final Consumer<String> problem;
    private final Consumer<String> warning;
    private final BiFunction<JsonNode, String, Optional<Duration>> duration;

    HealthReader(JsonNode def, UnaryOperator<String> at, Consumer<String> problem, Consumer<String> warning,
                 BiFunction<JsonNode, String, Optional<Duration>> duration) {
        this.def = def;
        this.at = at;
        this.problem = problem;
        this.warning = warning;
        this.duration = duration;
    }

    /** The service's check; a {@code healthcheck:} without {@code test} keeps the image's own (Compose's rule). */
    Optional<HealthCheck> read() {
        JsonNode h = def.path("healthcheck");
        h.fieldNames().forEachRemaining(k -> {
            if (k.equals("start_interval")) {
                warning.accept(at.apply("healthcheck.start_interval is ignored: Ordo probes every 50 ms during the"
                        + " first 30 s anyway, until the check first passes"));
            } else if (!KEYS.contains(k)) {
                warning.accept(at.apply("healthcheck." + k + " is not supported by Ordo and is ignored (Ordo probes"
                        + " at the interval from the start)"));
            }
        });
        Optional<HealthCheck> ordo = ordoCheck();
        if (ordo.isPresent()) {
            // a log-line check has no Compose healthcheck: its timings travel with it in x-ordo
            JsonNode timings = h.isMissingNode() ? def.path(ComposeNames.EXTENSION).path("healthcheck") : h;
            return ordo.map(c -> tuned(c, timings));
        }
        return composeCheck(h).map(c -> tuned(c, h));
    }

    private Optional<HealthCheck> ordoCheck() {
        JsonNode ordo = def.path(ComposeNames.EXTENSION).path("healthcheck");
        if (ordo.has("http")) {
            return Optional.of(HealthCheck.http(ordo.get("http").path("port").asInt(),
                    ordo.get("http").path("path").asText("/")));
        } else if (ordo.has("tcp")) {
            return Optional.of(HealthCheck.tcp(ordo.get("tcp").asInt()));
        } else if (ordo.has("log")) {
            return Optional.of(HealthCheck.logLine(ordo.get("log").asText()));
        }
        return Optional.empty();
    }

    private Optional<HealthCheck> composeCheck(JsonNode h) {
        if (h.isMissingNode() || h.path("disable").asBoolean(false)) {
            return Optional.empty();
        }
        JsonNode test = h.path("test");
        if (test.isTextual()) {
            return Optional.of(HealthCheck.shell(test.asText()));
        }
        if (test.isMissingNode() || test.isNull() || test.isArray() && test.size() == 0) {
            // Compose keeps the image's own HEALTHCHECK and applies the timings given here
            return Optional.of(HealthCheck.fromImage());
        }
        if (!test.isArray()) {
            problem.accept(at.apply("healthcheck.test must be a string or a list such as [\"CMD\", \"pg_isready\"]"));
            return Optional.empty();
        }
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < test.size(); i++) {
            rest.add(test.get(i).asText());
        }
        return switch (test.get(0).asText()) {
            case "NONE" -> Optional.empty();
            case "CMD" -> Optional.of(HealthCheck.command(rest.toArray(String[]::new)));
            case "CMD-SHELL" -> Optional.of(HealthCheck.shell(String.join(" ", rest)));
            default -> {
                problem.accept(at.apply("healthcheck: test must start with CMD, CMD-SHELL or NONE, not '"
                        + test.get(0).asText() + "'"));
                yield Optional.empty();
            }
        };
    }

    private HealthCheck tuned(HealthCheck check, JsonNode h) {
        HealthCheck c = check;
        if (h.hasNonNull("interval")) {
            c = duration.apply(h.get("interval"), "healthcheck.interval").map(c::interval).orElse(c);
        }
        if (h.hasNonNull("timeout")) {
            c = duration.apply(h.get("timeout"), "healthcheck.timeout").map(c::timeout).orElse(c);
        }
        if (h.hasNonNull("start_period")) {
            c = duration.apply(h.get("start_period"), "healthcheck.start_period").map(c::startPeriod).orElse(c);
        }
        if (h.hasNonNull("retries")) {
            c = c.retries(h.get("retries").asInt());
        }
        return c;
    }
}
