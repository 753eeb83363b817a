package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Network;
import dev.ordo.RestartPolicy;
import dev.ordo.Secret;
import dev.ordo.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loaded compose project ({@link ProjectLoader}) as an Ordo deployment, as Compose v2 would run it: only the
 * services the active profiles enable, each checked in Compose's terms first ({@link ComposeChecks}); services
 * become services, or jobs when a dependent waits for them with {@code service_completed_successfully} or they are
 * labelled {@code dev.ordo.kind: job}; top-level volumes and networks become declarations (external, internal,
 * named); secrets and configs become secrets; pools come from the {@code x-ordo} extension.
 *
 * <pre>{@code
 * DeploymentReader r = new DeploymentReader(loaded, problems::add, warnings::add);
 * Deployment.Builder d = r.read();
 * r.disabled();   // services the active profiles leave out, with their profiles
 * }</pre>
 */
public final class DeploymentReader {
    private final ProjectLoader.Loaded project;
    private final Consumer<String> problem;
    private final Consumer<String> warning;
    private final Map<String, List<String>> disabled = new LinkedHashMap<>();

    public DeploymentReader(ProjectLoader.Loaded project, Consumer<String> problem, Consumer<String> warning) {
        this.project = project;
        this.problem = problem;
        this.warning = warning;
    }

    /** The services the active profiles leave out, each with its profiles, in file order. */
    public Map<String, List<String>> disabled() {
        return disabled;
    }

    private JsonNode tree() {
        return project.tree();
    }

    /** The deployment's builder; problems and warnings go to the consumers given. Build errors surface from build(). */
    public Deployment.Builder read() {
        checkTopLevel();
        Deployment.Builder d = Deployment.builder(project.name());
        tree().path(ComposeNames.EXTENSION).path("pools").fields()
                .forEachRemaining(p -> d.pool(p.getKey(), p.getValue().asInt()));
        secrets(d, "secrets");
        secrets(d, "configs");
        Set<String> enabled = enabledServices();
        ComposeChecks checks = new ComposeChecks(project, enabled, disabled, problem, warning);
        Set<String> jobs = jobs(enabled);
        Set<String> imageChecks = checks.healthyByImage();
        List<String> volumesUsed = new ArrayList<>();
        Set<String> networksUsed = new LinkedHashSet<>();
        for (String name : enabled) {
            JsonNode def = tree().path("services").get(name);
            ServiceReader r = new ServiceReader(name, def, key -> project.where(name, "/services/" + name + "/"
                    + firstKey(key)) + ": service '" + name + "': " + key, project.variables()::get, problem, warning);
            r.checkKeys();
            List<Dependency> deps = checks.dependencies(name, r.dependencies());
            List<String> volumes = new ArrayList<>();
            if (imageChecks.contains(name)) {
                warning.accept(project.where(name, "/services/" + name) + ": service '" + name + "' has no"
                        + " healthcheck, and a service waits for it to be healthy: its image's own HEALTHCHECK"
                        + " decides, as in Compose (give it a healthcheck: to say which)");
            }
            if (jobs.contains(name)) {
                int retries = r.retries();
                d.job(name, j -> {
                    r.applyTo(j, volumes, deps);
                    j.retries(retries);
                    if (def.path(ComposeNames.EXTENSION).hasNonNull("active_deadline")) {
                        r.duration(def.path(ComposeNames.EXTENSION).get("active_deadline"), "x-ordo.active_deadline")
                                .ifPresent(j::activeDeadline);
                    }
                });
            } else {
                int maxRestarts = r.maxRestarts();
                d.service(name, s -> {
                    r.applyTo(s, volumes, deps);
                    if (imageChecks.contains(name)) {
                        s.healthCheck(HealthCheck.fromImage());
                    }
                    s.replicas(r.replicas()).restart(r.restartPolicy());
                    if (maxRestarts > 0 && r.restartPolicy() == RestartPolicy.ON_FAILURE) {
                        s.maxRestarts(maxRestarts);
                    }
                });
            }
            volumesUsed.addAll(volumes);
            def.path("networks").fieldNames().forEachRemaining(networksUsed::add);
            def.path("networks").forEach(n -> {
                if (n.isTextual()) {
                    networksUsed.add(n.asText());
                }
            });
            checks.references(name, volumes, def);
        }
        volumes(d, volumesUsed);
        networks(d, networksUsed);
        return d;
    }

    /** The service key a message is about: its first word, {@code 'cap_add' is ...} and {@code ports: ...} alike. */
    private static String firstKey(String message) {
        Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*").matcher(message);
        return m.find() ? m.group() : "";
    }

    private Set<String> enabledServices() {
        List<String> active = project.profiles();
        boolean every = active.contains("*");
        Set<String> out = new LinkedHashSet<>();
        tree().path("services").fields().forEachRemaining(e -> {
            List<String> profiles = new ArrayList<>();
            e.getValue().path("profiles").forEach(p -> profiles.add(p.asText()));
            if (profiles.isEmpty() || every || profiles.stream().anyMatch(active::contains)) {
                out.add(e.getKey());
            } else {
                disabled.put(e.getKey(), profiles);
            }
        });
        return out;
    }

    private void checkTopLevel() {
        tree().fieldNames().forEachRemaining(k -> {
            switch (k) {
                case "services", "volumes", "networks", "secrets", "configs", "name" -> {
                }
                case "version" -> warning.accept(project.files().get(0).getFileName() + ": 'version' is obsolete and"
                        + " ignored, as Compose v2 ignores it");
                default -> {
                    if (!k.startsWith("x-")) {
                        warning.accept(project.files().get(0).getFileName() + ": top-level key '" + k + "' is not"
                                + " supported by Ordo and is ignored");
                    }
                }
            }
        });
    }

    private void volumes(Deployment.Builder d, List<String> used) {
        tree().path("volumes").fields().forEachRemaining(v -> {
            JsonNode def = v.getValue();
            String what = "volume '" + v.getKey() + "'";
            Volume vol = def.path("external").asBoolean(false) || def.path("external").isObject()
                    ? Volume.external(v.getKey()) : Volume.of(v.getKey());
            String name = def.path("name").asText(def.path("external").path("name").asText(""));
            if (!name.isEmpty()) {
                vol = vol.named(name);
            }
            String driver = def.path("driver").asText("");
            Map<String, String> options = new LinkedHashMap<>();
            def.path("driver_opts").fields().forEachRemaining(o -> options.put(o.getKey(), o.getValue().asText()));
            if (!driver.isEmpty() || !options.isEmpty()) {
                vol = vol.driver(driver, options);
            }
            String access = def.path(ComposeNames.EXTENSION).path("access").asText("ReadWriteOnce");
            if (access.equals("ReadWriteMany")) {
                vol = vol.readWriteMany();
            } else if (!access.equals("ReadWriteOnce")) {
                warning.accept(what + ": x-ordo.access '" + access + "' is not an access mode Ordo knows (ReadWriteOnce"
                        + " or ReadWriteMany); ReadWriteOnce is used");
            }
            if (!vol.equals(Volume.of(v.getKey()))) {
                d.volume(vol);
            }
            def.fieldNames().forEachRemaining(k -> {
                switch (k) {
                    case "external", "name", "driver", "driver_opts", ComposeNames.EXTENSION -> {
                    }
                    case "labels" -> warning.accept(what + ": labels are not kept (Ordo labels the volumes it"
                            + " creates with its own)");
                    default -> warning.accept(what + ": '" + k + "' is not supported by Ordo and is ignored");
                }
            });
        });
    }

    private void networks(Deployment.Builder d, Set<String> used) {
        tree().path("networks").fields().forEachRemaining(n -> {
            JsonNode def = n.getValue();
            String what = "network '" + n.getKey() + "'";
            boolean external = def.path("external").asBoolean(false) || def.path("external").isObject();
            Network net = external ? Network.external(n.getKey()) : Network.of(n.getKey());
            if (def.path("internal").asBoolean(false)) {
                net = net.asInternal();
            }
            String name = def.path("name").asText(def.path("external").path("name").asText(""));
            if (!name.isEmpty()) {
                net = net.named(name);
            }
            if (!net.isPlain()) {
                d.network(net);
            }
            def.fieldNames().forEachRemaining(k -> {
                switch (k) {
                    case "external", "name", "internal" -> {
                    }
                    case "driver" -> {
                        if (!"bridge".equals(def.get("driver").asText())) {
                            warning.accept(what + ": driver '" + def.get("driver").asText() + "' is not kept; Ordo"
                                    + " creates bridge networks");
                        }
                    }
                    default -> warning.accept(what + ": '" + k + "' is not supported by Ordo and is ignored");
                }
            });
        });
    }

    /** Services some enabled dependent waits for with service_completed_successfully, or declared jobs. */
    private Set<String> jobs(Set<String> enabled) {
        Set<String> jobs = new LinkedHashSet<>();
        for (String name : enabled) {
            JsonNode def = tree().path("services").get(name);
            if ("job".equals(ComposeMerge.asEntries(def.path("labels")).path(ComposeNames.KIND_LABEL).asText(""))
                    || "job".equals(def.path(ComposeNames.EXTENSION).path("kind").asText(""))) {
                jobs.add(name);
            }
            new ServiceReader(name, def, k -> k, k -> null, x -> { }, x -> { }).dependencies().stream()
                    .filter(dep -> dep.condition() == Condition.COMPLETED_SUCCESSFULLY)
                    .forEach(dep -> jobs.add(dep.target()));
        }
        return jobs;
    }

    private void secrets(Deployment.Builder d, String section) {
        tree().path(section).fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode s = e.getValue();
            String what = section.substring(0, section.length() - 1) + " '" + name + "'";
            s.fieldNames().forEachRemaining(k -> {
                if (!Set.of("file", "environment", "content", "external").contains(k)
                        && !k.startsWith("x-")) {
                    warning.accept(what + ": '" + k + "' is not supported by Ordo and is ignored (Ordo delivers the"
                            + " value as a file itself)");
                }
            });
            if (s.hasNonNull("file")) {
                d.secret(Secret.fromFile(name, Path.of(s.get("file").asText())));
            } else if (s.hasNonNull("environment")) {
                // as Compose: the project's variables, so .env may set it
                d.secret(Secret.fromEnv(name, s.get("environment").asText(), project.variables()::get));
            } else if (s.path(ComposeNames.EXTENSION).hasNonNull("environment")) {
                d.secret(Secret.fromEnv(name, s.path(ComposeNames.EXTENSION).get("environment").asText(),
                        project.variables()::get));
            } else if (s.hasNonNull("content")) {
                d.secret(Secret.literal(name, s.get("content").asText()));
            } else if (s.path("external").asBoolean(false)) {
                problem.accept(what + " is external (a Swarm secret), which Ordo cannot read; give it as file: PATH"
                        + " or environment: VARIABLE");
            } else {
                problem.accept(what + " has no source; give it as file: PATH or environment: VARIABLE");
            }
        });
    }
}
