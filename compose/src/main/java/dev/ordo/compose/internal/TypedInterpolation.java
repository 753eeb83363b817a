package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every string of a compose tree interpolated ({@link Interpolation}), then cast where Compose expects a boolean or
 * an integer, as compose-go's interpolation does ({@code replicas: "${N}"} is a number); a problem says where it
 * stands.
 *
 * <pre>{@code
 * new TypedInterpolation(interpolation, warnings::add).interpolate(tree, "", parsed);
 * }</pre>
 */
final class TypedInterpolation {
    private final Interpolation vars;
    private final Consumer<String> warn;

    TypedInterpolation(Interpolation vars, Consumer<String> warn) {
        this.vars = vars;
        this.warn = warn;
    }

    void interpolate(JsonNode n, String pointer, YamlTree.Parsed p) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                String child = pointer + "/" + k.replace("~", "~0").replace("/", "~1");
                if (v.isTextual()) {
                    o.set(k, cast(child, apply(v.asText(), child, p), p));
                } else {
                    interpolate(v, child, p);
                }
            }
        } else if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, cast(pointer + "/" + i, apply(a.get(i).asText(), pointer + "/" + i, p), p));
                } else {
                    interpolate(a.get(i), pointer + "/" + i, p);
                }
            }
        }
    }

    private static final String SERVICE = "/services/[^/]+/";
    /** The booleans of compose-go's interpolation cast table (loader/interpolate.go), as JSON pointers. */
    private static final Pattern BOOLEANS = Pattern.compile(SERVICE
            + "(init|privileged|read_only|stdin_open|tty|oom_kill_disable|healthcheck/disable"
            + "|depends_on/[^/]+/(required|restart)|volumes/\\d+/(read_only|volume/nocopy))"
            + "|/networks/[^/]+/(external|internal|attachable|enable_ipv4|enable_ipv6)"
            + "|/(volumes|secrets|configs)/[^/]+/external");
    /** Its integers. */
    private static final Pattern INTEGERS = Pattern.compile(SERVICE
            + "(cpu_count|cpu_period|cpu_quota|cpu_rt_period|cpu_rt_runtime|cpu_shares|oom_score_adj|pids_limit"
            + "|scale|healthcheck/retries|ports/\\d+/target|ulimits/[^/]+(/(hard|soft))?"
            + "|deploy/(replicas|(update_config|rollback_config)/parallelism|restart_policy/max_attempts"
            + "|placement/max_replicas_per_node))");

    /**
     * A string value where Compose expects a boolean or an integer, as compose-go's interpolation casts it: an
     * interpolated {@code "${REPLICAS}"} becomes a number, and YAML 1.1's {@code yes}/{@code no}/{@code on}/
     * {@code off} a boolean (with a warning, as Compose gives one). Anything else stays a string.
     */
    private JsonNode cast(String pointer, String value, YamlTree.Parsed p) {
        if (BOOLEANS.matcher(pointer).matches()) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> {
                    return BooleanNode.TRUE;
                }
                case "false" -> {
                    return BooleanNode.FALSE;
                }
                case "y", "yes", "on", "n", "no", "off" -> {
                    boolean b = value.toLowerCase(Locale.ROOT).matches("y|yes|on");
                    warn.accept(p.where(pointer) + ": '" + value + "' for a boolean is YAML 1.1; Compose reads it as "
                            + b + " (write " + b + ")");
                    return BooleanNode.valueOf(b);
                }
                default -> throw new IllegalArgumentException(p.where(pointer) + ": invalid boolean: " + value
                        + " (write true or false)");
            }
        }
        if (INTEGERS.matcher(pointer).matches()) {
            try {
                return LongNode.valueOf(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(p.where(pointer) + ": '" + value + "' is not an integer", e);
            }
        }
        return TextNode.valueOf(value);
    }

    private String apply(String text, String pointer, YamlTree.Parsed p) {
        try {
            return vars.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p.where(pointer) + ": " + e.getMessage(), e);
        }
    }

}
