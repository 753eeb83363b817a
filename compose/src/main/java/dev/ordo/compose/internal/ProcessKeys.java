package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Container;
import dev.ordo.Node;
import dev.ordo.NodeBuilder;
import dev.ordo.Resources;
import dev.ordo.Security;
import dev.ordo.Toleration;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A node's resources, user and scheduling in a Compose file: {@code deploy.resources} (limits and reservations of
 * {@code cpus} and {@code memory}), {@code user}, {@code read_only}; what Compose has no key for (non-root, node
 * selector, tolerations) in {@code x-ordo}. Compose writes memory in binary units ({@code 256m} is 256 MiB), which
 * become Kubernetes quantities ({@code 256Mi}) on import.
 *
 * <pre>{@code
 * ProcessKeys.write(node, serviceTree, extension);
 * ProcessKeys.read(serviceTree, nodeBuilder, problems::add);
 * }</pre>
 */
public final class ProcessKeys {
    private ProcessKeys() {
    }

    /** Writes {@code n}'s settings into its service tree {@code s} and its {@code x-ordo} object {@code ext}. */
    public static void write(Node n, ObjectNode s, ObjectNode ext) {
        Container c = n.container();
        Resources r = c.resources();
        if (!r.isNone()) {
            ObjectNode deploy = s.has("deploy") ? (ObjectNode) s.get("deploy") : s.putObject("deploy");
            ObjectNode res = deploy.putObject("resources");
            put(res, "limits", r.cpuLimitMillis(), r.memoryLimitBytes());
            put(res, "reservations", r.cpuRequestMillis(), r.memoryRequestBytes());
        }
        Security sec = c.security();
        if (sec.hasUser()) {
            s.put("user", sec.dockerUser());
        }
        if (sec.readOnlyRootFilesystem()) {
            s.put("read_only", true);
        }
        if (sec.runAsNonRoot()) {
            ext.put("non_root", true);
        }
        if (sec.hardened()) {
            s.putArray("security_opt").add("no-new-privileges:true");
            s.putArray("cap_drop").add("ALL");
        }
        if (!c.scheduling().nodeSelector().isEmpty()) {
            ObjectNode sel = ext.putObject("node_selector");
            c.scheduling().nodeSelector().forEach(sel::put);
        }
        for (Toleration t : c.scheduling().tolerations()) {
            ObjectNode x = (ext.has("tolerations") ? (ArrayNode) ext.get("tolerations")
                    : ext.putArray("tolerations")).addObject();
            x.put("key", t.key()).put("operator", t.operator().name().toLowerCase(Locale.ROOT));
            if (!t.value().isEmpty()) {
                x.put("value", t.value());
            }
            x.put("effect", t.effect().name().toLowerCase(Locale.ROOT));
            t.seconds().ifPresent(d -> x.put("seconds", d.toSeconds()));
        }
    }

    private static void put(ObjectNode res, String key, OptionalLong cpuMillis, OptionalLong memoryBytes) {
        if (cpuMillis.isEmpty() && memoryBytes.isEmpty()) {
            return;
        }
        ObjectNode o = res.putObject(key);
        cpuMillis.ifPresent(m -> o.put("cpus", BigDecimal.valueOf(m, 3).stripTrailingZeros().toPlainString()));
        memoryBytes.ifPresent(b -> o.put("memory", composeBytes(b)));
    }

    /** Bytes in Compose's binary units: 268435456 is {@code 256m}. */
    static String composeBytes(long bytes) {
        String[] units = {"g", "m", "k"};
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes % sizes[i] == 0 && bytes >= sizes[i]) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes + "b";
    }

    /** A Compose byte value ({@code 256m}, {@code 1g}, {@code 1048576}) as a Kubernetes quantity. */
    static String quantity(String compose) {
        String v = compose.trim().toLowerCase(Locale.ROOT);
        String number = v.replaceAll("[a-z]+$", "");
        String unit = v.substring(number.length()).replaceAll("b$", "");
        return switch (unit) {
            case "" -> number;
            case "k" -> number + "Ki";
            case "m" -> number + "Mi";
            case "g" -> number + "Gi";
            default -> compose; // left for build() to name
        };
    }

    /** Reads what {@link #write} writes, and Compose's own forms of it, into {@code b}. */
    public static void read(String name, JsonNode def, NodeBuilder<?> b, Consumer<String> problem) {
        JsonNode res = def.path("deploy").path("resources");
        if (!res.isMissingNode()) {
            JsonNode lim = res.path("limits");
            JsonNode req = res.path("reservations");
            b.resources(Resources.none().cpu(cpus(text(req, "cpus")), cpus(text(lim, "cpus")))
                    .memory(memory(req), memory(lim)));
        }
        Security sec = Security.none();
        if (def.hasNonNull("user") && !def.get("user").asText().isBlank()) {
            sec = sec.user(def.get("user").asText().strip());
        }
        if (def.path("read_only").asBoolean(false)) {
            sec = sec.readOnlyRoot();
        }
        JsonNode ext = def.path("x-ordo");
        if (ext.path("non_root").asBoolean(false)) {
            sec = sec.nonRoot();
        }
        if (hardened(def)) {
            sec = sec.harden();
        }
        if (!sec.isNone()) {
            b.security(sec);
        }
        ext.path("node_selector").fields().forEachRemaining(e -> b.nodeSelector(e.getKey(), e.getValue().asText()));
        for (JsonNode t : ext.path("tolerations")) {
            String effectName = t.path("effect").asText("any");
            Toleration.Effect effect;
            try {
                effect = Toleration.Effect.valueOf(effectName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem.accept("service '" + name + "' has x-ordo toleration effect '" + effectName + "'; use one"
                        + " of any, no_schedule, prefer_no_schedule, no_execute");
                continue;
            }
            Toleration tol = "exists".equals(t.path("operator").asText("equal"))
                    ? Toleration.exists(t.path("key").asText(""), effect)
                    : Toleration.equal(t.path("key").asText(""), t.path("value").asText(""), effect);
            if (t.has("seconds")) {
                tol = tol.forAtMost(Duration.ofSeconds(t.get("seconds").asLong()));
            }
            b.toleration(tol);
        }
    }

    /** Compose's decimal cores as Kubernetes writes them: whole cores as they are, a fraction in millicores. */
    static String cpus(String compose) {
        try {
            BigDecimal cores = new BigDecimal(compose.trim());
            if (cores.signum() == 0 || cores.stripTrailingZeros().scale() <= 0) {
                return cores.stripTrailingZeros().toPlainString();
            }
            BigDecimal millis = cores.movePointRight(3).stripTrailingZeros();
            return millis.scale() <= 0 ? millis.toPlainString() + "m" : compose;
        } catch (NumberFormatException e) {
            return compose; // left for build() to name
        }
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : "";
    }

    private static String memory(JsonNode n) {
        return n.hasNonNull("memory") ? quantity(n.get("memory").asText()) : "";
    }
    /**
     * Whether a service asks for what {@code Security.harden()} is, and nothing less: {@code security_opt:
     * [no-new-privileges:true]} and {@code cap_drop: [ALL]} with no {@code cap_add}. Either alone (Mattermost's
     * files set no-new-privileges only) is not taken: dropping every capability from a server that needs some
     * would stop it.
     */
    static boolean hardened(JsonNode def) {
        boolean noNewPrivileges = false;
        for (JsonNode o : def.path("security_opt")) {
            String v = o.asText().replace('=', ':');
            noNewPrivileges |= v.equals("no-new-privileges") || v.equals("no-new-privileges:true");
        }
        boolean dropAll = false;
        for (JsonNode c : def.path("cap_drop")) {
            dropAll |= c.asText().equalsIgnoreCase("ALL");
        }
        return noNewPrivileges && dropAll && def.path("cap_add").isEmpty()
                && def.path("security_opt").size() == 1 && def.path("cap_drop").size() == 1;
    }
}
