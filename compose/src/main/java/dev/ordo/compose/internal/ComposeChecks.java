package dev.ordo.compose.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.spi.support.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What Compose itself checks in a project, said in Compose's words with where it stands, before Ordo's own
 * validation sees the deployment: {@code depends_on} on a service the file does not define or the active profiles
 * leave out ({@code required: false} ones are dropped, as Compose drops them), {@code service_healthy} on a service
 * without a health check, and volumes, networks, secrets and configs a service uses but the file does not declare.
 *
 * <pre>{@code
 * List<Dependency> deps = checks.dependencies("web", reader.dependencies());
 * }</pre>
 */
final class ComposeChecks {
    private final ProjectLoader.Loaded project;
    private final Set<String> enabled;
    private final Map<String, List<String>> disabled;
    private final Consumer<String> problem;
    private final Consumer<String> warning;

    ComposeChecks(ProjectLoader.Loaded project, Set<String> enabled, Map<String, List<String>> disabled,
                  Consumer<String> problem, Consumer<String> warning) {
        this.project = project;
        this.enabled = enabled;
        this.disabled = disabled;
        this.problem = problem;
        this.warning = warning;
    }

    private String at(String service, String key) {
        return project.where(service, "/services/" + service + "/" + key) + ": service '" + service + "': ";
    }

    /** {@code deps} of {@code service} as Compose runs them; each one Compose would refuse is a problem. */
    List<Dependency> dependencies(String service, List<Dependency> deps) {
        List<Dependency> out = new ArrayList<>();
        for (Dependency d : deps) {
            String target = d.target();
            String where = at(service, "depends_on/" + target);
            if (target.equals(service)) {
                problem.accept(where + "depends_on names the service itself; remove it");
            } else if (!project.tree().path("services").has(target)) {
                if (d.required()) {
                    String hint = Suggestions.didYouMean(target, serviceNames());
                    problem.accept(where + "depends_on: '" + target + "' is not a service of this project"
                            + (hint.isEmpty() ? "; define it, or remove the dependency" : hint));
                } else {
                    warning.accept(where + "depends_on: '" + target + "' is not a service of this project; the"
                            + " dependency is optional (required: false), so it is left out, as Compose does");
                }
            } else if (disabled.containsKey(target)) {
                if (d.required()) {
                    problem.accept(where + "depends_on: '" + target + "' runs only with profile(s) "
                            + disabled.get(target) + ", and the active profiles " + project.profiles() + " leave it"
                            + " out; activate one (--profile " + disabled.get(target).get(0) + ", or COMPOSE_PROFILES),"
                            + " or make the dependency optional (required: false)");
                }
            } else if (d.condition() == Condition.HEALTHY && healthCheckOff(target)) {
                problem.accept(where + "depends_on: '" + target + "' with condition service_healthy, but '" + target
                        + "' has its healthcheck disabled; give it one (healthcheck: {test: [...]}), or use condition"
                        + " service_started");
            } else {
                out.add(d);
            }
        }
        return out;
    }

    /** Whether {@code service}'s health check is switched off ({@code disable: true}, {@code test: [NONE]}). */
    private boolean healthCheckOff(String service) {
        JsonNode h = project.tree().path("services").path(service).path("healthcheck");
        JsonNode test = h.path("test");
        return h.path("disable").asBoolean(false)
                || test.isArray() && test.size() > 0 && "NONE".equals(test.get(0).asText());
    }

    /**
     * The enabled services some enabled service waits for with {@code service_healthy} that say nothing of a
     * health check: in Compose the image's own {@code HEALTHCHECK} decides for them, and so it does here.
     */
    Set<String> healthyByImage() {
        Set<String> out = new TreeSet<>();
        for (String name : enabled) {
            JsonNode deps = project.tree().path("services").path(name).path("depends_on");
            deps.fields().forEachRemaining(e -> {
                String target = e.getKey();
                JsonNode def = project.tree().path("services").path(target);
                if ("service_healthy".equals(e.getValue().path("condition").asText()) && enabled.contains(target)
                        && !def.has("healthcheck")
                        && def.path(ComposeNames.EXTENSION).path("healthcheck").size() == 0) {
                    out.add(target);
                }
            });
        }
        return out;
    }

    private List<String> serviceNames() {
        List<String> out = new ArrayList<>();
        project.tree().path("services").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The volumes, networks, secrets and configs {@code service} uses are declared at the top level. */
    void references(String service, List<String> volumes, JsonNode def) {
        JsonNode tree = project.tree();
        for (String v : volumes) {
            if (!tree.path("volumes").has(v)) {
                problem.accept(at(service, "volumes") + "volumes: '" + v + "' is not declared in the top-level"
                        + " volumes" + Suggestions.didYouMean(v, names(tree.path("volumes"))) + "; declare it"
                        + " (volumes: {" + v + ": {}}), or give a host path (./" + v + ")");
            }
        }
        List<String> nets = new ArrayList<>();
        if (def.path("networks").isArray()) {
            def.path("networks").forEach(n -> nets.add(n.asText()));
        } else {
            def.path("networks").fieldNames().forEachRemaining(nets::add);
        }
        for (String n : nets) {
            if (!n.equals("default") && !tree.path("networks").has(n)) {
                problem.accept(at(service, "networks") + "networks: '" + n + "' is not declared in the top-level"
                        + " networks" + Suggestions.didYouMean(n, names(tree.path("networks"))) + "; declare it"
                        + " (networks: {" + n + ": {}})");
            }
        }
        for (String section : List.of("secrets", "configs")) {
            for (JsonNode s : ServiceReader.list(def.path(section))) {
                String source = s.isTextual() ? s.asText() : s.path("source").asText("");
                if (!tree.path(section).has(source)) {
                    problem.accept(at(service, section) + section + ": '" + source + "' is not declared in the"
                            + " top-level " + section + Suggestions.didYouMean(source, names(tree.path(section)))
                            + "; declare it (" + section + ": {" + source + ": {file: ./" + source + ".txt}})");
                }
            }
        }
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
