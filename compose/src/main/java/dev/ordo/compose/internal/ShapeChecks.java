package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What compose-go refuses in a compose file's shape before it reads its values (see {@link #check}), said where it
 * stands.
 *
 * <pre>{@code
 * ShapeChecks.check(tree, parsed, warnings::add);
 * }</pre>
 */
final class ShapeChecks {
    private ShapeChecks() {
    }

    /** {@code n} without the mark of {@code !override}; missing for {@code !reset}. */
    static JsonNode unmarked(JsonNode n) {
        if (n.isObject() && n.size() == 1 && n.has(YamlTree.OVERRIDE)) {
            return n.get(YamlTree.OVERRIDE);
        }
        if (n.isObject() && n.size() == 1 && n.has(YamlTree.RESET)) {
            return MissingNode.getInstance();
        }
        return n;
    }

    /** Compose's top-level keys (compose-spec's schema); any other is refused, as Compose v2 refuses it. */
    private static final Set<String> TOP_LEVEL = Set.of("version", "name", "include",
            "services", "networks", "volumes", "secrets", "configs", "models");

    /**
     * What compose-go refuses in a file's shape before it reads values: top-level keys that are not Compose's (a
     * version 1 file, whose services stand at the top level), a {@code name} that is not a string, networks,
     * volumes, secrets and configs that are not mappings, a service's {@code image} that is not a string, an
     * {@code environment} that is neither a mapping nor a list (or holds a list or mapping as a value, or a
     * {@code KEY =} with a blank before '='); and the deprecated {@code external: {name: N}}, which becomes
     * {@code name: N} with {@code external: true} (refused when {@code name} says otherwise), as compose-go's
     * canonical form has it.
     */
    static void check(ObjectNode tree, YamlTree.Parsed p, Consumer<String> warn) {
        tree.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL.contains(k) && !k.startsWith("x-")) {
                throw new IllegalArgumentException(p.where("/" + k) + ": top-level key '" + k + "' is not a Compose"
                        + " key (Compose v2 refuses it: Additional property " + k + " is not allowed); a version 1"
                        + " file? Compose v2 reads services under services:");
            }
        });
        JsonNode name = tree.get("name");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw new IllegalArgumentException(p.where("/name") + ": name must be a string (the project's name)");
        }
        for (String section : List.of("networks", "volumes", "secrets", "configs")) {
            JsonNode defs = tree.get(section);
            if (defs == null || defs.isNull()) {
                continue;
            }
            if (!defs.isObject()) {
                throw new IllegalArgumentException(p.where("/" + section) + ": " + section + " must be a mapping");
            }
            defs.fields().forEachRemaining(e -> {
                String at = section + "." + e.getKey();
                JsonNode def = e.getValue();
                if (!def.isNull() && !def.isObject()) {
                    throw new IllegalArgumentException(p.where("/" + section + "/" + e.getKey()) + ": " + at
                            + " must be a mapping");
                }
                if (def.isObject() && def.path("external").isObject()) {
                    ObjectNode d = (ObjectNode) def;
                    JsonNode extName = d.get("external").get("name");
                    d.put("external", true);
                    if (extName != null) {
                        if (d.has("name") && !d.get("name").equals(extName)) {
                            throw new IllegalArgumentException(p.where("/" + section + "/" + e.getKey()) + ": " + at
                                    + ": name and external.name conflict; only use name");
                        }
                        d.set("name", extName);
                        warn.accept(p.where("/" + section + "/" + e.getKey()) + ": " + at + ": external.name is"
                                + " deprecated; set name: " + extName.asText() + " and external: true");
                    }
                }
            });
        }
        JsonNode services = tree.path("services");
        services.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            String at = "/services/" + e.getKey();
            JsonNode image = unmarked(s.path("image"));
            if (!image.isMissingNode() && !image.isNull() && !image.isValueNode()) {
                throw new IllegalArgumentException(p.where(at + "/image") + ": services." + e.getKey()
                        + ".image must be a string (NAME:TAG)");
            }
            JsonNode env = unmarked(s.path("environment"));
            if (env.isObject()) {
                env.fields().forEachRemaining(v -> {
                    if (v.getValue().isContainerNode()) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment." + v.getKey() + " must be a string, number, boolean or null");
                    }
                });
            } else if (env.isArray()) {
                for (JsonNode v : env) {
                    String entry = v.asText();
                    int eq = entry.indexOf('=');
                    String key = eq < 0 ? entry : entry.substring(0, eq);
                    if (!v.isValueNode()) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment: each entry of the list is KEY=VALUE (or KEY), not " + v);
                    }
                    if (!key.equals(key.stripTrailing())) {
                        throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                                + ".environment: variable '" + key + "' is declared with a trailing space (write "
                                + key.strip() + "=VALUE, without blanks around '=')");
                    }
                }
            } else if (!env.isMissingNode() && !env.isNull()) {
                throw new IllegalArgumentException(p.where(at + "/environment") + ": services." + e.getKey()
                        + ".environment must be a mapping (KEY: value) or a list (- KEY=value)");
            }
        });
    }

}
