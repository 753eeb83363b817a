package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.RestartPolicy;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A compose service's restart and {@code deploy} keys as Ordo reads them: {@code restart} ({@code on-failure:N}
 * included) and {@code deploy.restart_policy} (which wins, as in docker/compose), replicas from
 * {@code deploy.replicas} or {@code scale}; every other {@code deploy} key named in a warning.
 *
 * <pre>{@code
 * new DeployKeys(def, at, problems::add, warnings::add).restartPolicy();
 * }</pre>
 */
final class DeployKeys {
    private final JsonNode def;
    private final UnaryOperator<String> at;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    DeployKeys(JsonNode def, UnaryOperator<String> at, Consumer<String> problem, Consumer<String> warning) {
        this.def = def;
        this.at = at;
        this.problem = problem;
        this.warning = warning;
    }

    /** The parts of {@code deploy} Ordo honours: replicas, cpus and memory, the restart condition and attempts. */
    void check() {
        JsonNode d = def.path("deploy");
        d.fieldNames().forEachRemaining(k -> {
            switch (k) {
                case "replicas" -> {
                }
                case "resources" -> d.get(k).fields().forEachRemaining(r -> {
                    if (r.getKey().equals("limits") || r.getKey().equals("reservations")) {
                        r.getValue().fieldNames().forEachRemaining(x -> {
                            if (!x.equals("cpus") && !x.equals("memory")) {
                                warning.accept(at.apply("deploy.resources." + r.getKey() + "." + x + " is not supported by"
                                        + " Ordo and is ignored"));
                            }
                        });
                    } else {
                        warning.accept(at.apply("deploy.resources." + r.getKey() + " is not supported by Ordo and is"
                                + " ignored (Compose knows limits and reservations only)"));
                    }
                });
                case "restart_policy" -> d.get(k).fieldNames().forEachRemaining(x -> {
                    if (!x.equals("condition") && !x.equals("max_attempts")) {
                        warning.accept(at.apply("deploy.restart_policy." + x + " is not supported by Ordo and is ignored"));
                    }
                });
                default -> warning.accept(at.apply("deploy." + k + " is not supported by Ordo and is ignored"));
            }
        });
    }

    private String restartText() {
        String r = def.path("restart").asText("");
        String cond = def.path("deploy").path("restart_policy").path("condition").asText("");
        if (!cond.isEmpty()) {
            r = switch (cond) {
                case "none" -> "no";
                case "any" -> "always";
                default -> cond;
            };
        }
        return r;
    }

    /** The service's restart policy, from restart: or deploy.restart_policy. */
    RestartPolicy restartPolicy() {
        String r = restartText();
        if (r.isEmpty() || r.equals("no")) {
            return RestartPolicy.NO;
        } else if (r.equals("always")) {
            return RestartPolicy.ALWAYS;
        } else if (r.equals("unless-stopped")) {
            return RestartPolicy.UNLESS_STOPPED;
        } else if (r.equals("on-failure") || r.startsWith("on-failure:")) {
            return RestartPolicy.ON_FAILURE;
        }
        problem.accept(at.apply("restart '" + r + "' is not one of no, always, on-failure[:N], unless-stopped"));
        return RestartPolicy.NO;
    }

    /** The N of on-failure:N (or deploy.restart_policy.max_attempts), else 0: no limit. */
    int maxRestarts() {
        String r = def.path("restart").asText("");
        if (!def.path("deploy").path("restart_policy").path("condition").asText("").isEmpty()) {
            r = ""; // deploy.restart_policy wins, with its max_attempts (restartText)
        }
        if (r.startsWith("on-failure:")) {
            try {
                return Integer.parseInt(r.substring("on-failure:".length()).trim());
            } catch (NumberFormatException e) {
                problem.accept(at.apply("restart '" + r + "': the count after on-failure: must be a number"));
                return 0;
            }
        }
        JsonNode max = def.path("deploy").path("restart_policy").path("max_attempts");
        return max.canConvertToInt() ? max.asInt() : 0;
    }

    /** A job's retries: on-failure:N or deploy.restart_policy.max_attempts, else x-ordo.retries, else 0. */
    int retries() {
        int n = maxRestarts();
        return n > 0 ? n : def.path("x-ordo").path("retries").asInt(0);
    }

    /** The replicas: deploy.replicas, else scale, else 1. */
    int replicas() {
        JsonNode r = def.path("deploy").path("replicas");
        return !r.isMissingNode() && !r.isNull() ? r.asInt(1) : def.path("scale").asInt(1);
    }
}
