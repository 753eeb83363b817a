package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.NodeBuilder;
import dev.ordo.Port;
import dev.ordo.RestartPolicy;
import dev.ordo.SecretRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One compose service onto an Ordo node builder: the keys Ordo supports, mapped with Compose's meaning; every
 * other key named in a warning (or, for keys whose loss would change what runs, an error). Paths are relative to
 * the service's own file.
 *
 * <pre>{@code
 * new ServiceReader("api", def, dir, problems, warnings).applyTo(serviceBuilder);
 * }</pre>
 */
public final class ServiceReader {
    /** Keys read here (or deliberately ignored with a reason in {@link #IGNORED}). */
    static final Set<String> SUPPORTED = Set.of("image", "command", "entrypoint", "environment", "env_file", "ports",
            "expose", "volumes", "tmpfs", "healthcheck", "depends_on", "restart", "deploy", "scale", "profiles",
            "secrets", "configs", "working_dir", "stop_grace_period", "labels", "x-ordo", "x-ordo-dir", "user",
            "read_only");
    /** Keys Ordo ignores on purpose, with why. */
    static final Map<String, String> IGNORED = Map.of(
            "container_name", "Ordo names containers <deployment>-<node>-<replica>",
            "logging", "the engine's default log driver is used (Ordo follows the output itself)",
            "networks", "Ordo gives each deployment one network on which nodes reach each other by name",
            "hostname", "nodes reach each other by node name",
            "platform", "the engine's own platform is used",
            "pull_policy", "Ordo pulls an image only when the engine lacks it");
    /** Keys whose loss would change what runs: an error, not a warning. */
    static final Map<String, String> REFUSED = Map.of(
            "build", "build the image first (docker build -t NAME .) and give it as image: NAME",
            "network_mode", "Ordo runs every node on the deployment's network",
            "privileged", "Ordo does not run privileged containers");

    private final String name;
    private final JsonNode def;
    private final Path dir;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    public ServiceReader(String name, JsonNode def, Path dir, Consumer<String> problem, Consumer<String> warning) {
        this.name = name;
        this.def = def;
        this.dir = dir;
        this.problem = problem;
        this.warning = warning;
    }

    String at(String key) {
        return "service '" + name + "': " + key;
    }

    /** Keys this service uses that Ordo does not support, as warnings or errors. */
    public void checkKeys() {
        def.fieldNames().forEachRemaining(k -> {
            if (REFUSED.containsKey(k)) {
                problem.accept(at("'" + k + "' is not supported: " + REFUSED.get(k)));
            } else if (IGNORED.containsKey(k)) {
                warning.accept(at("'" + k + "' is ignored: " + IGNORED.get(k)));
            } else if (!SUPPORTED.contains(k) && !k.startsWith("x-")) {
                warning.accept(at("'" + k + "' is not supported by Ordo and is ignored"));
            }
        });
    }

    /** Applies the container settings shared by services and jobs. */
    public void applyTo(NodeBuilder<?> b) {
        b.image(def.path("image").asText(""));
        if (def.path("image").asText("").isBlank()) {
            problem.accept(at("has no image; give one (image: NAME:TAG)"));
        }
        words("command").ifPresent(w -> b.command(w.toArray(String[]::new)));
        words("entrypoint").ifPresent(w -> b.entrypoint(w.toArray(String[]::new)));
        b.environment(environment());
        PortsAndMounts pm = new PortsAndMounts(name, def, dir, this::at, problem, warning);
        pm.ports(b);
        pm.exposed(b);
        pm.volumes(b);
        for (JsonNode t : list(def.path("tmpfs"))) {
            b.tmpfs(t.asText().split(":")[0]);
        }
        new HealthReader(def, this::at, problem, warning, this::duration).read().ifPresent(b::healthCheck);
        dependencies().forEach(b::dependsOn);
        List<String> profiles = new ArrayList<>();
        def.path("profiles").forEach(p -> profiles.add(p.asText()));
        if (!profiles.isEmpty()) {
            b.profiles(profiles.toArray(String[]::new));
        }
        files("secrets", SecretRef.DEFAULT_DIRECTORY, SecretRef.DEFAULT_MODE).forEach(b::secret);
        files("configs", "/", 0444).forEach(b::secret);
        if (def.hasNonNull("working_dir")) {
            b.workingDir(def.get("working_dir").asText());
        }
        if (def.hasNonNull("stop_grace_period")) {
            duration(def.get("stop_grace_period"), "stop_grace_period").ifPresent(b::stopGracePeriod);
        }
        labels().forEach(b::label);
        if (def.path("x-ordo").hasNonNull("pool")) {
            b.pool(def.path("x-ordo").get("pool").asText());
        }
        ProcessKeys.read(name, def, b, problem);
        JsonNode live = def.path("x-ordo").path("liveness");
        if (!live.isMissingNode()) {
            new HealthReader(live, this::at, problem, warning, this::duration).read().ifPresent(b::liveness);
        }
    }

    static List<JsonNode> list(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(out::add);
        } else if (!n.isMissingNode() && !n.isNull()) {
            out.add(n);
        }
        return out;
    }

    private java.util.Optional<List<String>> words(String key) {
        JsonNode n = def.get(key);
        if (n == null || n.isNull()) {
            return java.util.Optional.empty();
        }
        if (n.isTextual()) {
            try {
                return java.util.Optional.of(ShellWords.split(n.asText()));
            } catch (IllegalArgumentException e) {
                problem.accept(at(key + ": " + e.getMessage()));
                return java.util.Optional.empty();
            }
        }
        List<String> w = new ArrayList<>();
        n.forEach(x -> w.add(x.asText()));
        return java.util.Optional.of(w);
    }

    /** env_file entries first, then environment (which wins), as in Compose. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode f : list(def.path("env_file"))) {
            String path = f.isTextual() ? f.asText() : f.path("path").asText();
            boolean required = !f.isObject() || f.path("required").asBoolean(true);
            Path file = dir.resolve(path).normalize();
            if (!required && !java.nio.file.Files.exists(file)) {
                continue;
            }
            try {
                env.putAll(EnvFile.read(file));
            } catch (IllegalArgumentException e) {
                problem.accept(at("env_file: " + e.getMessage()));
            }
        }
        JsonNode e = def.path("environment");
        if (e.isObject()) {
            e.fields().forEachRemaining(x -> env.put(x.getKey(), x.getValue().isNull() ? "" : x.getValue().asText()));
        } else if (e.isArray()) {
            for (JsonNode x : e) {
                String s = x.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return env;
    }

    java.util.Optional<Duration> duration(JsonNode n, String key) {
        try {
            return java.util.Optional.of(ComposeDurations.parse(n.asText()));
        } catch (IllegalArgumentException e) {
            problem.accept(at(key + ": " + e.getMessage()));
            return java.util.Optional.empty();
        }
    }

    /** The service's dependencies with Compose's conditions, and Ordo's required/restart where given. */
    public List<Dependency> dependencies() {
        List<Dependency> deps = new ArrayList<>();
        JsonNode d = def.path("depends_on");
        JsonNode extra = def.path("x-ordo").path("depends_on");
        if (d.isArray()) {
            d.forEach(x -> deps.add(Dependency.on(x.asText(), Condition.STARTED)));
        } else if (d.isObject()) {
            d.fields().forEachRemaining(e -> {
                String cond = e.getValue().path("condition").asText("service_started");
                Condition c = switch (cond) {
                    case "service_started" -> Condition.STARTED;
                    case "service_healthy" -> Condition.HEALTHY;
                    case "service_completed_successfully" -> Condition.COMPLETED_SUCCESSFULLY;
                    default -> {
                        problem.accept(at("depends_on '" + e.getKey() + "': condition '" + cond + "' is not one of"
                                + " service_started, service_healthy, service_completed_successfully"));
                        yield Condition.STARTED;
                    }
                };
                JsonNode x = extra.path(e.getKey());
                boolean required = e.getValue().path("required").asBoolean(x.path("required").asBoolean(true));
                boolean restart = e.getValue().path("restart").asBoolean(x.path("restart").asBoolean(false));
                deps.add(Dependency.on(e.getKey(), c).required(required).restart(restart));
            });
        }
        return deps;
    }

    private List<SecretRef> files(String key, String directory, int defaultMode) {
        List<SecretRef> refs = new ArrayList<>();
        for (JsonNode s : list(def.path(key))) {
            if (s.isTextual()) {
                refs.add(SecretRef.file(s.asText(), directory + s.asText()).mode(defaultMode));
                continue;
            }
            String source = s.path("source").asText("");
            String target = s.path("target").asText(source);
            String path = target.startsWith("/") ? target : directory + target;
            SecretRef r = SecretRef.file(source, path).mode(s.hasNonNull("mode") ? mode(s.get("mode")) : defaultMode);
            if (s.hasNonNull("uid") || s.hasNonNull("gid")) {
                r = r.owner(Integer.parseInt(s.path("uid").asText("0")), Integer.parseInt(s.path("gid").asText("0")));
            }
            refs.add(r);
        }
        return refs;
    }

    private static int mode(JsonNode m) {
        // YAML 0440 is octal for Compose; a quoted "0440" too
        String t = m.asText();
        return t.startsWith("0") && t.length() > 1 ? Integer.parseInt(t, 8) : m.asInt();
    }

    private Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode l = def.path("labels");
        if (l.isObject()) {
            l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } else if (l.isArray()) {
            for (JsonNode x : l) {
                String s = x.asText();
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        out.remove(ComposeNames.KIND_LABEL);
        return out;
    }

    /** The service's restart policy, from restart: or deploy.restart_policy. */
    public RestartPolicy restartPolicy() {
        String r = def.path("restart").asText("");
        String cond = def.path("deploy").path("restart_policy").path("condition").asText("");
        if (r.isEmpty() && !cond.isEmpty()) {
            r = switch (cond) {
                case "none" -> "no";
                case "any" -> "always";
                default -> cond;
            };
        }
        if (r.isEmpty() || r.equals("no")) {
            return RestartPolicy.NO;
        } else if (r.equals("always")) {
            return RestartPolicy.ALWAYS;
        } else if (r.equals("unless-stopped")) {
            return RestartPolicy.UNLESS_STOPPED;
        } else if (r.startsWith("on-failure")) {
            return RestartPolicy.ON_FAILURE;
        }
        problem.accept(at("restart '" + r + "' is not one of no, always, on-failure[:N], unless-stopped"));
        return RestartPolicy.NO;
    }

    /** A job's retries: on-failure:N or deploy.restart_policy.max_attempts, else x-ordo.retries, else 0. */
    public int retries() {
        String r = def.path("restart").asText("");
        if (r.startsWith("on-failure:")) {
            return Integer.parseInt(r.substring("on-failure:".length()).trim());
        }
        JsonNode max = def.path("deploy").path("restart_policy").path("max_attempts");
        return max.isNumber() ? max.asInt() : def.path("x-ordo").path("retries").asInt(0);
    }

    /** The replicas: deploy.replicas, else scale, else 1. */
    public int replicas() {
        JsonNode r = def.path("deploy").path("replicas");
        return !r.isMissingNode() && !r.isNull() ? r.asInt(1) : def.path("scale").asInt(1);
    }
}
