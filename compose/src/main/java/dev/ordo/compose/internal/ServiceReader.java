package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Network;
import dev.ordo.NodeBuilder;
import dev.ordo.RestartPolicy;
import dev.ordo.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One compose service onto an Ordo node builder: the keys Ordo honours, with Compose's meaning; every other key
 * named in a warning (or, for keys whose loss would change what runs, an error). Messages start with where the
 * service stands ({@code compose.yaml:12:5: service 'web': ...}).
 *
 * <pre>{@code
 * new ServiceReader("api", def, at, variables::get, problems::add, warnings::add).applyTo(serviceBuilder, volumes);
 * }</pre>
 */
public final class ServiceReader {
    /** Keys read here. */
    static final Set<String> SUPPORTED = Set.of("image", "build", "command", "entrypoint", "environment", "env_file",
            "ports", "expose", "volumes", "tmpfs", "healthcheck", "depends_on", "restart", "deploy", "scale",
            "profiles", "secrets", "configs", "working_dir", "stop_grace_period", "labels", "user", "read_only",
            "networks", "container_name", "stop_signal", "x-ordo", FileReader.FILE);
    /** Keys Ordo ignores on purpose, with why. */
    static final Map<String, String> IGNORED = Map.ofEntries(
            Map.entry("logging", "the engine's default log driver is used (Ordo follows the output itself)"),
            Map.entry("hostname", "other nodes reach it by its service name and aliases"),
            Map.entry("domainname", "other nodes reach it by its service name and aliases"),
            Map.entry("platform", "the engine's own platform is used"),
            Map.entry("pull_policy", "Ordo pulls an image only when the engine lacks it, and builds one that has"
                    + " build: when it is missing"),
            Map.entry("stdin_open", "Ordo attaches no terminal"),
            Map.entry("tty", "Ordo attaches no terminal"),
            Map.entry("restart_policy", "use restart: or deploy.restart_policy"));
    /** Keys whose loss would change what runs: an error, not a warning. */
    static final Map<String, String> REFUSED = Map.of(
            "network_mode", "Ordo runs every node on the deployment's networks; use networks: instead",
            "privileged", "Ordo does not run privileged containers",
            "pid", "Ordo does not share process namespaces",
            "ipc", "Ordo does not share IPC namespaces",
            "volumes_from", "give the volumes to each service that needs them",
            "links", "nodes reach each other by service name; use depends_on for the order");

    private final String name;
    private final JsonNode def;
    private final UnaryOperator<String> at;
    private final Function<String, String> variables;
    private final Consumer<String> problem;
    private final Consumer<String> warning;
    private final DeployKeys deploy;

    /**
     * A reader of service {@code name}, defined by {@code def}; {@code at} prefixes a key with where it stands;
     * {@code variables} resolves an {@code environment} entry given without a value.
     */
    public ServiceReader(String name, JsonNode def, UnaryOperator<String> at, Function<String, String> variables,
                         Consumer<String> problem, Consumer<String> warning) {
        this.name = name;
        this.def = def;
        this.at = at;
        this.variables = variables;
        this.problem = problem;
        this.warning = warning;
        this.deploy = new DeployKeys(def, this::at, problem, warning);
    }

    String at(String key) {
        return at.apply(key);
    }

    /** Keys this service uses that Ordo does not support, as warnings or errors. */
    public void checkKeys() {
        def.fieldNames().forEachRemaining(k -> {
            if (REFUSED.containsKey(k)) {
                problem.accept(at("'" + k + "' is not supported: " + REFUSED.get(k)));
            } else if (IGNORED.containsKey(k)) {
                warning.accept(at("'" + k + "' is ignored: " + IGNORED.get(k)));
            } else if ((k.equals("security_opt") || k.equals("cap_drop")) && ProcessKeys.hardened(def)) {
                return; // Security.harden(): read by ProcessKeys
            } else if (!SUPPORTED.contains(k) && !k.startsWith("x-")) {
                warning.accept(at("'" + k + "' is not supported by Ordo and is ignored"));
            }
        });
        if (def.hasNonNull("container_name")) {
            warning.accept(at("container_name '" + def.get("container_name").asText() + "' is kept as a network"
                    + " alias, by which other containers reach it; the container itself is named"
                    + " <project>-" + name + "-1"));
        }
        deploy.check();
    }

    /**
     * Applies the container settings shared by services and jobs, with {@code dependencies} (as checked); named
     * volumes used are added to {@code volumes}.
     */
    public void applyTo(NodeBuilder<?> b, List<String> volumes, List<Dependency> dependencies) {
        String image = def.path("image").asText("");
        b.image(image);
        BuildKeys.read(def, this::at, variables, warning).ifPresent(b::build);
        if (image.isBlank() && !def.has("build")) {
            problem.accept(at("has no image; give one (image: NAME:TAG) or build one (build: ./dir)"));
        }
        words("command").ifPresent(w -> b.command(w.toArray(String[]::new)));
        words("entrypoint").ifPresent(w -> b.entrypoint(w.toArray(String[]::new)));
        b.environment(environment());
        PortsAndMounts pm = new PortsAndMounts(name, def, this::at, problem, warning);
        pm.ports(b);
        pm.exposed(b);
        pm.volumes(b, volumes);
        new HealthReader(def, this::at, problem, warning, this::duration).read().ifPresent(b::healthCheck);
        dependencies.forEach(b::dependsOn);
        List<String> profiles = new ArrayList<>();
        def.path("profiles").forEach(p -> profiles.add(p.asText()));
        if (!profiles.isEmpty()) {
            b.profiles(profiles.toArray(String[]::new));
        }
        // Compose mounts secrets world-readable (0444) unless told otherwise: real images read them after dropping
        // root (the official mariadb and postgres entrypoints do), so Ordo's own default (0400, root) would not do
        files("secrets", SecretRef.DEFAULT_DIRECTORY, 0444).forEach(b::secret);
        files("configs", "/", 0444).forEach(b::secret);
        if (def.hasNonNull("working_dir")) {
            b.workingDir(def.get("working_dir").asText());
        }
        if (def.hasNonNull("stop_signal")) {
            b.stopSignal(def.get("stop_signal").asText());
        }
        if (def.hasNonNull("stop_grace_period")) {
            duration(def.get("stop_grace_period"), "stop_grace_period").ifPresent(b::stopGracePeriod);
        }
        labels().forEach(b::label);
        if (def.path("x-ordo").hasNonNull("pool")) {
            b.pool(def.path("x-ordo").get("pool").asText());
        }
        networks(b);
        ProcessKeys.read(name, def, b, problem);
        JsonNode live = def.path("x-ordo").path("liveness");
        if (!live.isMissingNode()) {
            new HealthReader(live, this::at, problem, warning, this::duration).read().ifPresent(b::liveness);
        }
    }

    private void networks(NodeBuilder<?> b) {
        JsonNode n = def.path("networks");
        List<String> aliases = new ArrayList<>();
        List<String> joined = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> joined.add(x.asText()));
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                joined.add(e.getKey());
                e.getValue().path("aliases").forEach(a -> {
                    if (!aliases.contains(a.asText())) {
                        aliases.add(a.asText());
                    }
                });
                e.getValue().fieldNames().forEachRemaining(k -> {
                    if (!k.equals("aliases")) {
                        warning.accept(at("networks." + e.getKey() + "." + k + " is not supported by Ordo and is"
                                + " ignored"));
                    }
                });
            });
        }
        if (!joined.equals(List.of(Network.DEFAULT))) { // the default network alone is no choice at all
            joined.forEach(b::networks);
        }
        if (def.hasNonNull("container_name") && !aliases.contains(def.get("container_name").asText())) {
            aliases.add(def.get("container_name").asText());
        }
        aliases.remove(name);
        if (!aliases.isEmpty()) {
            b.alias(aliases.toArray(String[]::new));
        }
    }

    static Map<String, JsonNode> entries(JsonNode n) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ComposeMerge.asEntries(n).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
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

    private Optional<List<String>> words(String key) {
        JsonNode n = def.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isTextual()) {
            try {
                return Optional.of(ShellWords.split(n.asText()));
            } catch (IllegalArgumentException e) {
                problem.accept(at(key + ": " + e.getMessage()));
                return Optional.empty();
            }
        }
        List<String> w = new ArrayList<>();
        n.forEach(x -> w.add(x.asText()));
        return Optional.of(w);
    }

    /**
     * env_file entries first, then environment (which wins), as in Compose; an entry without a value takes the
     * variable's value (the environment, then {@code .env}) and is left out when that is unset.
     */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, JsonNode> own = entries(def.path("environment"));
        // an env_file's variables are looked up in the project's variables, then in the service's environment
        // (compose-go's WithServicesEnvironmentResolved)
        Function<String, String> lookup = k -> {
            String v = variables.apply(k);
            JsonNode o = own.get(k);
            return v != null ? v : o != null && !o.isNull() ? o.asText() : null;
        };
        for (JsonNode f : list(def.path("env_file"))) {
            String path = f.isTextual() ? f.asText() : f.path("path").asText();
            boolean required = !f.isObject() || f.path("required").asBoolean(true);
            Path file = Path.of(path);
            if (!required && !Files.exists(file)) {
                continue;
            }
            try {
                env.putAll(EnvFile.readServiceFile(file, lookup));
            } catch (IllegalArgumentException e) {
                problem.accept(at("env_file: " + e.getMessage()));
            }
        }
        own.forEach((k, v) -> {
            if (v.isNull()) {
                String inherited = variables.apply(k);
                if (inherited != null) {
                    env.put(k, inherited);
                }
            } else {
                env.put(k, v.asText());
            }
        });
        return env;
    }

    Optional<Duration> duration(JsonNode n, String key) {
        try {
            return Optional.of(ComposeDurations.parse(n.asText()));
        } catch (IllegalArgumentException e) {
            problem.accept(at(key + ": " + e.getMessage()));
            return Optional.empty();
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
                try {
                    r = r.owner(Integer.parseInt(s.path("uid").asText("0")), Integer.parseInt(s.path("gid")
                            .asText("0")));
                } catch (NumberFormatException e) {
                    problem.accept(at(key + ": uid and gid of '" + source + "' must be numbers"));
                }
            }
            refs.add(r);
        }
        return refs;
    }

    private int mode(JsonNode m) {
        // numbers are read as Go reads them (a leading 0 is octal); a quoted "0440" or "440" is octal too
        if (m.isNumber()) {
            return m.asInt();
        }
        try {
            return Integer.parseInt(m.asText().replaceFirst("^0o", ""), 8);
        } catch (NumberFormatException e) {
            problem.accept(at("mode '" + m.asText() + "' is not an octal file mode such as 0440"));
            return SecretRef.DEFAULT_MODE;
        }
    }

    private Map<String, String> labels() {
        Map<String, String> out = new LinkedHashMap<>();
        entries(def.path("labels")).forEach((k, v) -> out.put(k, v.isNull() ? "" : v.asText()));
        out.remove(ComposeNames.KIND_LABEL);
        return out;
    }

    /**
     * The restart policy as Compose v2 runs it: {@code deploy.restart_policy.condition} when it is given, else
     * {@code restart} (docker/compose's getRestartPolicy sets the policy from restart first, then replaces it with
     * deploy.restart_policy's).
     */
    /** The service's restart policy, from restart: or deploy.restart_policy. */
    public RestartPolicy restartPolicy() {
        return deploy.restartPolicy();
    }

    /** The N of on-failure:N (or deploy.restart_policy.max_attempts), else 0: no limit. */
    public int maxRestarts() {
        return deploy.maxRestarts();
    }

    /** A job's retries: on-failure:N or deploy.restart_policy.max_attempts, else x-ordo.retries, else 0. */
    public int retries() {
        return deploy.retries();
    }

    /** The replicas: deploy.replicas, else scale, else 1. */
    public int replicas() {
        return deploy.replicas();
    }
}
