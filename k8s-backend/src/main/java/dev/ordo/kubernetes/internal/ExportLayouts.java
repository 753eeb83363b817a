package dev.ordo.kubernetes.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ordo.Node;
import dev.ordo.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The export as a Kustomize base or a Helm chart, both relocatable (no namespace in any object). The chart's values
 * are each node's image and a service's replicas, each volume claim's size, each secret's value (a Secret is created
 * only when its value is given, otherwise it must exist), the waiters' image and resources; everything else is the same
 * objects as the single-file export.
 *
 * <pre>{@code
 * ExportLayouts.helmChart(plan, objects, waitImage, Path.of("charts/clp"));
 * }</pre>
 */
public final class ExportLayouts {
    // Strings that read as numbers stay quoted: Go's YAML (Helm, the API server) reads an unquoted 8080 or 1.4 as a
    // number and refuses it where a string is due (env values, args, labels, annotations, ConfigMap data).
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    /** A value to be replaced by a template expression: quoted in the YAML, so that it survives serialisation. */
    private static final Pattern PLACEHOLDER = Pattern.compile("[\"']?@@(\\w+)\\|([^@]*)@@[\"']?");

    private ExportLayouts() {
    }

    /** Writes {@code kustomization.yaml} and {@code manifests.yaml} into {@code dir}; returns the files. */
    public static List<Path> kustomizeBase(String header, List<HasMetadata> objects, Path dir) {
        StringBuilder all = new StringBuilder(header);
        for (HasMetadata o : objects) {
            all.append("---\n").append(body(Serialization.asYaml(o)));
        }
        String kustomization = "# A relocatable base: overlays set the namespace (namespace: NS), images, replicas.\n"
                + "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- manifests.yaml\n";
        return List.of(write(dir.resolve("kustomization.yaml"), kustomization),
                write(dir.resolve("manifests.yaml"), all.toString()));
    }

    /** Writes a Helm chart (Chart.yaml, values.yaml, templates/) into {@code dir}; returns the files. */
    public static List<Path> helmChart(Plan plan, List<HasMetadata> objects, String waitImage, Path dir) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        Map<String, String> storage = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        for (HasMetadata o : objects) {
            ObjectNode tree = Serialization.jsonMapper().valueToTree(o);
            String kind = o.getKind();
            String name = o.getMetadata().getName();
            String template;
            if (kind.equals("Secret")) {
                String secret = plan.deployment().secrets().keySet().stream()
                        .filter(s -> K8sNames.secretName(plan.deployment().name(), s).equals(name)).findFirst()
                        .orElse(name);
                secrets.put(secret, "");
                tree.remove("data");
                tree.remove("stringData");
                template = "{{- if index .Values.secrets " + quote(secret) + " }}\n" + yaml(tree)
                        + "data:\n  " + SupportObjects.SECRET_KEY + ": {{ index .Values.secrets " + quote(secret)
                        + " | b64enc | quote }}\n{{- end }}\n";
            } else {
                if (kind.equals("PersistentVolumeClaim")) {
                    JsonNode req = tree.path("spec").path("resources").path("requests");
                    storage.put(name, req.path("storage").asText(SupportObjects.DEFAULT_CLAIM_SIZE));
                    ((ObjectNode) req).put("storage", "@@storage|" + name + "@@");
                }
                for (JsonNode t : tree.path("spec").path("volumeClaimTemplates")) {
                    // a service's own volume: sized by the same key as a plain claim, <deployment>-<volume>
                    String key = K8sNames.objectName(plan.deployment().name()) + "-"
                            + t.path("metadata").path("name").asText();
                    JsonNode req = t.path("spec").path("resources").path("requests");
                    storage.put(key, req.path("storage").asText(SupportObjects.DEFAULT_CLAIM_SIZE));
                    ((ObjectNode) req).put("storage", "@@storage|" + key + "@@");
                }
                placeholders(plan, tree, nodes, waitImage);
                template = yaml(tree);
            }
            files.add(write(dir.resolve("templates").resolve(kind.toLowerCase() + "-" + name + ".yaml"),
                    expressions(template)));
        }
        files.add(write(dir.resolve("templates").resolve(RELEASE_GUARD), releaseGuard(objects)));
        ObjectNode values = YAML.createObjectNode();
        values.put("waitImage", waitImage);
        values.set("waiterResources", YAML.valueToTree(Map.of(
                "requests", Map.of("cpu", Waiters.CPU_REQUEST, "memory", Waiters.MEMORY_REQUEST),
                "limits", Map.of("cpu", Waiters.CPU_LIMIT, "memory", Waiters.MEMORY_LIMIT))));
        values.set("nodes", YAML.valueToTree(nodes));
        values.set("storage", YAML.valueToTree(storage));
        values.set("secrets", YAML.valueToTree(secrets));
        // a chart's name is lower-case letters, digits and '-' (helm lint), as the deployment's object names are
        String chart = "apiVersion: v2\nname: " + K8sNames.objectName(plan.deployment().name()) + "\ndescription: Ordo deployment '"
                + plan.deployment().name() + "', its nodes ordered by init containers that wait for their"
                + " dependencies\ntype: application\nversion: 0.1.0\nappVersion: \"0.1.0\"\nkubeVersion: \">="
                + ManifestRenderer.MINIMUM_VERSION + ".0-0\"\n";
        files.add(0, write(dir.resolve("Chart.yaml"), chart));
        files.add(1, write(dir.resolve("values.yaml"), "# Images, replicas, storage sizes and secrets of '"
                + plan.deployment().name() + "'. A secret left empty is not created: create it beforehand.\n"
                + "# One release per namespace: the objects keep the deployment's names, and templates/"
                + RELEASE_GUARD + " refuses a second release.\n"
                + "# Storage sizes are install-time: helm upgrade cannot change a StatefulSet's claim templates (edit"
                + " the PersistentVolumeClaim to grow one, if its StorageClass allows expansion).\n"
                + ExportWarnings.of(plan).stream().map(w -> "# WARNING: " + w + "\n").collect(Collectors.joining())
                + yaml(values)));
        return files;
    }

    /** The chart's template that refuses a second release in a namespace; it renders no object. */
    public static final String RELEASE_GUARD = "release-guard.yaml";

    /**
     * A template that looks up each object the chart installs (Jobs aside: their names carry their template's hash)
     * and fails, naming it and the fix, when one exists that another release, or no release, owns. The objects keep
     * the deployment's names, which its services address each other by, so a namespace holds one release; Helm's
     * own ownership check would refuse too, but only after rendering, as "invalid ownership metadata". {@code lookup}
     * answers nothing under {@code helm template} and {@code helm lint}, so both still render the chart.
     */
    private static String releaseGuard(List<HasMetadata> objects) {
        StringBuilder list = new StringBuilder();
        for (HasMetadata o : objects) {
            if (!o.getKind().equals("Job")) {
                list.append(" (list ").append(quote(o.getApiVersion())).append(' ').append(quote(o.getKind()))
                        .append(' ').append(quote(o.getMetadata().getName())).append(')');
            }
        }
        return "{{- /* One release of this chart per namespace: see the chart's values.yaml. Renders nothing. */}}\n"
                + "{{- range $o := list" + list + " }}\n"
                + "{{- $found := lookup (index $o 0) (index $o 1) $.Release.Namespace (index $o 2) }}\n"
                + "{{- if $found }}\n"
                + "{{- $owner := dig \"metadata\" \"annotations\" \"meta.helm.sh/release-name\" \"\" $found }}\n"
                + "{{- if ne $owner $.Release.Name }}\n"
                + "{{- fail (printf \"%s/%s already exists in namespace %s, %s: a namespace holds one release of this"
                + " chart, since its objects keep the deployment's names, which its services address each other by."
                + " Install release %s into a namespace of its own (-n), or upgrade the release that is there\""
                + " (index $o 1) (index $o 2) $.Release.Namespace (ternary (printf \"owned by Helm release %s\""
                + " $owner) \"not made by Helm (kubectl apply?)\" (ne $owner \"\")) $.Release.Name) }}\n"
                + "{{- end }}\n{{- end }}\n{{- end }}\n";
    }

    /** Marks each node's image and replicas, and the waiters' image, in a workload's tree. */
    private static void placeholders(Plan plan, ObjectNode tree, Map<String, Object> nodes, String waitImage) {
        List<ObjectNode> pods = new ArrayList<>();
        collectPodSpecs(tree, pods);
        Set<String> imaged = new LinkedHashSet<>();
        for (ObjectNode pod : pods) {
            for (String list : List.of("containers", "initContainers")) {
                for (JsonNode c : pod.path(list)) {
                    String cname = c.path("name").asText();
                    if (c.path("image").asText().equals(waitImage) && cname.startsWith("wait-for-")) {
                        ((ObjectNode) c).put("image", "@@waitImage|@@");
                        for (String bound : List.of("requests", "limits")) {
                            ObjectNode q = (ObjectNode) c.path("resources").path(bound);
                            q.put("cpu", "@@waiterResources|" + bound + ".cpu@@");
                            q.put("memory", "@@waiterResources|" + bound + ".memory@@");
                        }
                    } else {
                        // containers are named by the node's object name; values by the node's own name
                        nodeNamed(plan, cname, K8sNames::objectName).ifPresent(n -> {
                            nodeValues(nodes, n.name()).put("image", n.container().image());
                            ((ObjectNode) c).put("image", "@@image|" + n.name() + "@@");
                            imaged.add(n.name());
                        });
                    }
                }
            }
        }
        String label = tree.path("metadata").path("labels").path(K8sNames.NAME).asText("");
        JsonNode spec = tree.path("spec");
        Optional<Node> node = nodeNamed(plan, label, K8sNames::labelValue);
        if (tree.path("kind").asText().equals("Job")) {
            // a node's Job, or a trigger's at-start Job (its steps' images): the name also changes with the values
            // that change the template: the images, the waiters' image and resources
            String name = tree.path("metadata").path("name").asText();
            int dash = name.lastIndexOf('-');
            ((ObjectNode) tree.path("metadata")).put("name", "@@jobName|" + String.join(",", imaged) + "|"
                    + name.substring(0, dash) + "|" + name.substring(dash + 1) + "@@");
        }
        if (spec.has("replicas") && node.isPresent()) {
            nodeValues(nodes, node.get().name()).put("replicas", spec.get("replicas").asInt());
            ((ObjectNode) spec).put("replicas", "@@replicas|" + node.get().name() + "@@");
        }
    }

    /** The node whose name maps to {@code name}: names are unique once mapped (NameRules). */
    private static Optional<Node> nodeNamed(Plan plan, String name, UnaryOperator<String> map) {
        return plan.deployment().nodes().stream().filter(n -> map.apply(n.name()).equals(name)).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nodeValues(Map<String, Object> nodes, String node) {
        return (Map<String, Object>) nodes.computeIfAbsent(node, k -> new LinkedHashMap<String, Object>());
    }

    private static void collectPodSpecs(JsonNode n, List<ObjectNode> out) {
        if (n.isObject()) {
            if (n.has("containers") && n.get("containers").isArray()) {
                out.add((ObjectNode) n);
            }
            n.forEach(child -> collectPodSpecs(child, out));
        } else if (n instanceof ArrayNode a) {
            a.forEach(child -> collectPodSpecs(child, out));
        }
    }

    /** The placeholders as Helm expressions. */
    private static String expressions(String yaml) {
        Matcher m = PLACEHOLDER.matcher(yaml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(2);
            String expr = switch (m.group(1)) {
                case "image" -> "{{ (index .Values.nodes " + quote(key) + ").image | quote }}";
                case "replicas" -> "{{ (index .Values.nodes " + quote(key) + ").replicas }}";
                case "storage" -> "{{ index .Values.storage " + quote(key) + " | quote }}";
                case "waitImage" -> "{{ .Values.waitImage | quote }}";
                case "waiterResources" -> "{{ .Values.waiterResources." + key + " | quote }}";
                case "jobName" -> {
                    String[] k = key.split("\\|", -1);
                    StringBuilder images = new StringBuilder();
                    for (String n : k[0].isEmpty() ? new String[0] : k[0].split(",")) {
                        images.append(" (index .Values.nodes ").append(quote(n)).append(").image");
                    }
                    yield k[1] + "-{{ printf \"%s|%s|%s|%s\" \"" + k[2] + "\" (list" + images
                            + " | join \",\") .Values.waitImage (toJson .Values.waiterResources) | sha256sum"
                            + " | trunc 8 }}";
                }
                default -> throw new IllegalStateException(m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(expr));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String body(String yaml) {
        String b = yaml.startsWith("---\n") ? yaml.substring(4) : yaml;
        return b.endsWith("\n") ? b : b + "\n";
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
