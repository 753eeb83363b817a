package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Secret;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A loaded compose project ({@link ProjectLoader}) as an Ordo deployment: services become services, or jobs when
 * a dependent waits for them with {@code service_completed_successfully} or they are labelled
 * {@code dev.ordo.kind: job}; secrets and configs become secrets; pools come from the {@code x-ordo} extension.
 *
 * <pre>{@code
 * Deployment d = new DeploymentReader(project, dir, "shop", problems::add, warnings::add).read();
 * }</pre>
 */
public final class DeploymentReader {
    private final ObjectNode project;
    private final Path dir;
    private final String fallbackName;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    public DeploymentReader(ObjectNode project, Path dir, String fallbackName, Consumer<String> problem,
                            Consumer<String> warning) {
        this.project = project;
        this.dir = dir;
        this.fallbackName = fallbackName;
        this.problem = problem;
        this.warning = warning;
    }

    /** The deployment's name: {@code name}, else {@code x-ordo.name}, else the fallback (the directory's). */
    String name() {
        String n = project.path("name").asText(project.path(ComposeNames.EXTENSION).path("name").asText(""));
        return n.isBlank() ? fallbackName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") : n;
    }

    /** The deployment; problems and warnings go to the consumers given. Build errors surface from build(). */
    public Deployment.Builder read() {
        checkTopLevel();
        Deployment.Builder d = Deployment.builder(name());
        project.path(ComposeNames.EXTENSION).path("pools").fields()
                .forEachRemaining(p -> d.pool(p.getKey(), p.getValue().asInt()));
        secrets(d, "secrets");
        secrets(d, "configs");
        Set<String> jobs = jobs();
        project.path("services").fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode def = e.getValue();
            Path own = def.has("x-ordo-dir") ? Path.of(def.get("x-ordo-dir").asText()) : dir;
            ServiceReader r = new ServiceReader(name, def, own, problem, warning);
            r.checkKeys();
            if (jobs.contains(name)) {
                int retries = r.retries();
                d.job(name, j -> {
                    r.applyTo(j);
                    j.retries(retries);
                    if (def.path(ComposeNames.EXTENSION).hasNonNull("active_deadline")) {
                        r.duration(def.path(ComposeNames.EXTENSION).get("active_deadline"), "x-ordo.active_deadline")
                                .ifPresent(j::activeDeadline);
                    }
                });
            } else {
                d.service(name, s -> {
                    r.applyTo(s);
                    s.replicas(r.replicas()).restart(r.restartPolicy());
                });
            }
        });
        return d;
    }

    private void checkTopLevel() {
        project.fieldNames().forEachRemaining(k -> {
            switch (k) {
                case "services", "volumes", "secrets", "configs", "name", "version" -> {
                }
                case "networks" -> {
                    if (project.get("networks").size() > 0) {
                        warning.accept("networks are ignored: Ordo gives each deployment one network on which nodes"
                                + " reach each other by name");
                    }
                }
                default -> {
                    if (!k.startsWith("x-")) {
                        warning.accept("top-level key '" + k + "' is not supported by Ordo and is ignored");
                    }
                }
            }
        });
        project.path("volumes").fields().forEachRemaining(v -> {
            if (v.getValue().isObject() && v.getValue().size() > 0) {
                v.getValue().fieldNames().forEachRemaining(k -> warning.accept("volume '" + v.getKey() + "': '" + k
                        + "' is ignored: Ordo creates local named volumes"));
            }
        });
    }

    /** Services some dependent waits for with service_completed_successfully, or declared jobs. */
    private Set<String> jobs() {
        Set<String> jobs = new HashSet<>();
        project.path("services").fields().forEachRemaining(e -> {
            JsonNode def = e.getValue();
            if ("job".equals(def.path("labels").path(ComposeNames.KIND_LABEL).asText(""))
                    || def.path("labels").isArray() && def.path("labels").toString()
                    .contains("\"" + ComposeNames.KIND_LABEL + "=job\"")
                    || "job".equals(def.path(ComposeNames.EXTENSION).path("kind").asText(""))) {
                jobs.add(e.getKey());
            }
            List<Dependency> deps = new ServiceReader(e.getKey(), def, dir, x -> { }, x -> { }).dependencies();
            deps.stream().filter(dep -> dep.condition() == Condition.COMPLETED_SUCCESSFULLY)
                    .forEach(dep -> jobs.add(dep.target()));
        });
        return jobs;
    }

    private void secrets(Deployment.Builder d, String section) {
        project.path(section).fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode s = e.getValue();
            Path own = s.has("x-ordo-dir") ? Path.of(s.get("x-ordo-dir").asText()) : dir;
            String what = section.substring(0, section.length() - 1) + " '" + name + "'";
            if (s.hasNonNull("file")) {
                d.secret(Secret.fromFile(name, own.resolve(s.get("file").asText()).normalize()));
            } else if (s.hasNonNull("environment")) {
                d.secret(Secret.fromEnv(name, s.get("environment").asText()));
            } else if (s.path(ComposeNames.EXTENSION).hasNonNull("environment")) {
                d.secret(Secret.fromEnv(name, s.path(ComposeNames.EXTENSION).get("environment").asText()));
            } else if (s.hasNonNull("content")) {
                d.secret(Secret.literal(name, s.get("content").asText()));
            } else if (s.path("external").asBoolean(false)) {
                problem.accept(what + " is external, which Ordo cannot read; give it as file: or environment:");
            } else {
                problem.accept(what + " has no source; give it as file: PATH or environment: VARIABLE");
            }
        });
    }
}
