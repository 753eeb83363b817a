package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Compares a compose-go expectation (from {@code loader-cases.yml} or {@code full-example-expected.yml}) with what
 * Ordo loaded, as the README of the ported data says: {@code expect} is partial (only the keys it lists are
 * compared; lists compare element by element and must have the same length), {@code null} means "present and nil"
 * inside the maps where presence means something (an environment variable without value, a network joined without
 * options) and "zero" elsewhere, as Go's structs compare; scalars compare by value ({@code 555} and {@code "555"},
 * {@code true} and {@code "true"}, {@code 60s} and {@code 1m0s} for a duration); relative paths in the expectation
 * (compose-go's {@code resolve_paths: false}) are resolved against the working directory, because Ordo, like
 * {@code docker compose}, always resolves them.
 */
final class TreeMatch {
    /** Maps whose entries mean something even when their value is null. */
    private static final Set<String> PRESENCE = Set.of("environment", "networks", "labels", "sysctls", "annotations",
            "depends_on", "extra_hosts", "args", "dotenv", "driver_opts", "extensions", "model");
    private static final Set<String> DURATIONS = Set.of("interval", "timeout", "start_period", "start_interval",
            "stop_grace_period", "delay", "window", "monitor");

    private final boolean exact;
    private final Path workdir;
    private final List<String> diffs = new ArrayList<>();

    private TreeMatch(boolean exact, Path workdir) {
        this.exact = exact;
        this.workdir = workdir;
    }

    /** The differences between {@code expected} (partial) and {@code actual}; empty when they agree. */
    static List<String> partial(JsonNode expected, JsonNode actual, Path workdir) {
        TreeMatch m = new TreeMatch(false, workdir);
        m.compare("", placeholders(expected, workdir), actual);
        return m.diffs;
    }

    /** The differences, every mapping compared key for key (the raw models of kinds merge, unicity and model). */
    static List<String> exact(JsonNode expected, JsonNode actual, Path workdir) {
        TreeMatch m = new TreeMatch(true, workdir);
        m.compare("", placeholders(expected, workdir), actual);
        return m.diffs;
    }

    /** {@code <workdir>} and {@code <home>} replaced in every string of {@code n}. */
    static JsonNode placeholders(JsonNode n, Path workdir) {
        if (n == null) {
            return null;
        }
        if (n.isTextual()) {
            String s = n.asText();
            if (workdir != null) {
                s = s.replace("<workdir>", workdir.toString());
            }
            return TextNode.valueOf(s.replace("<home>", System.getProperty("user.home")));
        }
        if (n.isObject()) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            n.fields().forEachRemaining(e -> o.set(e.getKey(), placeholders(e.getValue(), workdir)));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(placeholders(x, workdir)));
            return a;
        }
        return n;
    }

    private void compare(String at, JsonNode exp, JsonNode act) {
        if (exp.isObject()) {
            if (act == null || act.isNull() || act.isMissingNode()) {
                if (!exact && exp.isEmpty()) {
                    return;
                }
                diffs.add(at + ": expected " + exp + ", got " + act);
                return;
            }
            if (!act.isObject()) {
                diffs.add(at + ": expected a mapping " + exp + ", got " + act);
                return;
            }
            String last = lastKey(at);
            exp.fields().forEachRemaining(e -> {
                String child = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                JsonNode a = act.get(e.getKey());
                if (a == null) {
                    if (!exact && isZero(e.getValue()) && !PRESENCE.contains(last)) {
                        return;
                    }
                    diffs.add(child + ": expected " + e.getValue() + ", missing");
                    return;
                }
                compare(child, e.getValue(), a);
            });
            if (exact) {
                act.fieldNames().forEachRemaining(k -> {
                    if (!exp.has(k)) {
                        diffs.add((at.isEmpty() ? k : at + "." + k) + ": not expected, got " + act.get(k));
                    }
                });
            }
        } else if (exp.isArray()) {
            if (act == null || act.isNull() || act.isMissingNode()) {
                if (!exact && exp.isEmpty()) {
                    return;
                }
                diffs.add(at + ": expected " + exp + ", got " + act);
                return;
            }
            if (!act.isArray() || act.size() != exp.size()) {
                diffs.add(at + ": expected " + exp + ", got " + act);
                return;
            }
            for (int i = 0; i < exp.size(); i++) {
                compare(at + "[" + i + "]", exp.get(i), act.get(i));
            }
        } else if (exp.isNull()) {
            if (act != null && !act.isNull() && !(act.isMissingNode())) {
                diffs.add(at + ": expected null, got " + act);
            }
        } else if (act == null || act.isContainerNode() || act.isNull() || !same(at, exp, act)) {
            diffs.add(at + ": expected " + exp + ", got " + act);
        }
    }

    private boolean same(String at, JsonNode exp, JsonNode act) {
        String e = exp.asText();
        String a = act.asText();
        if (e.equals(a)) {
            return true;
        }
        String last = lastKey(at);
        if (DURATIONS.contains(last)) {
            try {
                return ComposeDurations.parse(e).equals(ComposeDurations.parse(a));
            } catch (IllegalArgumentException x) {
                return false;
            }
        }
        if (isPath(at, e)) {
            return RelativePaths.resolve(workdir, e).equals(a);
        }
        try {
            return new BigDecimal(e).compareTo(new BigDecimal(a)) == 0;
        } catch (NumberFormatException x) {
            return false;
        }
    }

    /** Whether {@code at} holds a path Compose resolves (and {@code value} is a relative one). */
    private boolean isPath(String at, String value) {
        if (workdir == null || value.contains("://")) {
            return false;
        }
        return at.endsWith("build.context") || at.matches(".*env_file\\[\\d+]\\.path")
                || at.matches("(secrets|configs)\\.[^.]+\\.file")
                || at.matches(".*volumes\\[\\d+]\\.source|volume\\.source") && PortsAndMounts.isBindSource(value);
    }

    private static String lastKey(String at) {
        String s = at.replaceAll("\\[\\d+]$", "");
        int dot = s.lastIndexOf('.');
        return dot < 0 ? s : s.substring(dot + 1);
    }

    private static boolean isZero(JsonNode n) {
        return n.isNull() || n.isBoolean() && !n.asBoolean() || n.isNumber() && n.asDouble() == 0
                || n.isTextual() && n.asText().isEmpty() || n.isContainerNode() && n.isEmpty();
    }
}
