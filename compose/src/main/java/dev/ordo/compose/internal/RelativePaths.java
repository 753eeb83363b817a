package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;

/**
 * Makes the relative paths of a compose tree absolute, as Compose does before it merges files: relative to the
 * project directory for the {@code -f} files (every file, not only the first), to the file's own directory for a
 * service {@code extends} takes from another file, and to the included project's directory for {@code include}.
 * Bind-mount sources ({@code ./data:/data}, long syntax {@code type: bind}), {@code ~} in them, build contexts,
 * {@code env_file} entries, and the {@code file:} of top-level secrets and configs.
 *
 * <pre>{@code
 * RelativePaths.service(serviceTree, Path.of("/srv/app"));
 * }</pre>
 */
final class RelativePaths {
    private RelativePaths() {
    }

    /** Every service's paths, and the top-level secrets' and configs' files, of {@code project}, against {@code dir}. */
    static void project(ObjectNode project, Path dir) {
        JsonNode services = project.path("services");
        if (services.isObject()) {
            services.forEach(s -> {
                if (s.isObject()) {
                    service((ObjectNode) s, dir);
                }
            });
        }
        for (String section : new String[] {"secrets", "configs"}) {
            project.path(section).forEach(def -> {
                if (def.isObject() && def.path("file").isTextual()) {
                    ((ObjectNode) def).put("file", resolve(dir, def.get("file").asText()));
                }
            });
        }
    }

    /**
     * A build without {@code context} builds in {@code dir}, the project's directory: set once every file of the
     * project is merged and every {@code extends} resolved (compose-go's default values come after both), so that
     * a later file or an extending service that names no context keeps the one it merges over.
     */
    static void defaultContexts(ObjectNode project, Path dir) {
        project.path("services").forEach(s -> {
            JsonNode build = s.path("build");
            if (build.isObject() && !build.hasNonNull("context")) {
                ((ObjectNode) build).put("context", dir.toString());
            }
        });
    }

    /** One service's paths against {@code dir}. */
    static void service(ObjectNode s, Path dir) {
        JsonNode build = s.get("build");
        if (build != null && build.isTextual()) {
            s.put("build", context(dir, build.asText()));
        } else if (build != null && build.isObject() && build.path("context").isTextual()) {
            ((ObjectNode) build).put("context", context(dir, build.get("context").asText()));
        }
        JsonNode envFile = s.get("env_file");
        if (envFile != null && envFile.isTextual()) {
            s.put("env_file", resolve(dir, envFile.asText()));
        } else if (envFile != null && envFile.isArray()) {
            ArrayNode a = (ArrayNode) envFile;
            for (int i = 0; i < a.size(); i++) {
                JsonNode e = a.get(i);
                if (e.isTextual()) {
                    a.set(i, TextNode.valueOf(resolve(dir, e.asText())));
                } else if (e.isObject() && e.path("path").isTextual()) {
                    ((ObjectNode) e).put("path", resolve(dir, e.get("path").asText()));
                }
            }
        }
        JsonNode volumes = s.get("volumes");
        if (volumes != null && volumes.isArray()) {
            ArrayNode a = (ArrayNode) volumes;
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    a.set(i, TextNode.valueOf(shortVolume(dir, v.asText())));
                } else if (v.isObject() && "bind".equals(v.path("type").asText()) && v.path("source").isTextual()) {
                    ((ObjectNode) v).put("source", resolve(dir, v.get("source").asText()));
                }
            }
        }
    }

    private static String shortVolume(Path dir, String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            return spec;
        }
        String source = spec.substring(0, colon);
        if (!PortsAndMounts.isBindSource(source)) {
            return spec;
        }
        return resolve(dir, source) + spec.substring(colon);
    }

    /** A build context: a URL or git reference as it is, a path against {@code dir}. */
    private static String context(Path dir, String context) {
        if (context.contains("://") || context.startsWith("git@") || context.startsWith("github.com/")) {
            return context;
        }
        return resolve(dir, context);
    }

    static String resolve(Path dir, String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1)).normalize().toString();
        }
        return dir.resolve(path).normalize().toString();
    }
}
