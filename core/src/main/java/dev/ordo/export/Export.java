package dev.ordo.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.Edge;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.Trigger;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a {@link Plan} as text for people, Mermaid (in the style of the CLP architecture figure, edges labelled
 * {@code healthy} / {@code completed_successfully}), Graphviz DOT, or JSON for tools. Exporters only write text;
 * they never run anything.
 *
 * <pre>{@code
 * Plan plan = deployment.plan();
 * System.out.println(Export.mermaid(plan));
 * Files.writeString(Path.of("plan.json"), Export.json(plan));
 * }</pre>
 */
public final class Export {
    /** The formats this class renders, for command-line tools. */
    public enum Format {
        /** {@link #text(Plan)}. */
        TEXT,
        /** {@link #mermaid(Plan)}. */
        MERMAID,
        /** {@link #dot(Plan)}. */
        DOT,
        /** {@link #json(Plan)}. */
        JSON;

        /**
         * The format called {@code name}, ignoring case.
         *
         * @throws OrdoException listing the known formats when there is none of that name
         */
        public static Format parse(String name) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new OrdoException("unknown plan format '" + name + "'; use one of text, mermaid, dot, json");
        }
    }

    private Export() {
    }

    /** {@code plan} in {@code format}. */
    public static String render(Plan plan, Format format) {
        Objects.requireNonNull(format, "format == null");
        return switch (format) {
            case TEXT -> text(plan);
            case MERMAID -> mermaid(plan);
            case DOT -> dot(plan);
            case JSON -> json(plan);
        };
    }

    /** The plan wave by wave, each node with its kind, image, pool and what it waits for. */
    public static String text(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        StringBuilder b = new StringBuilder();
        b.append("plan for '").append(plan.deployment().name()).append("': ").append(plan.size()).append(" nodes in ")
                .append(plan.waves().size()).append(" waves");
        if (!plan.selection().profiles().isEmpty() || plan.selection().everyProfile()) {
            b.append(", profiles ").append(plan.selection().everyProfile() ? "all" : plan.selection().profiles());
        }
        if (!plan.selection().targets().isEmpty()) {
            b.append(", targets ").append(plan.selection().targets());
        }
        b.append('\n');
        int width = plan.nodes().stream().mapToInt(n -> n.name().length()).max().orElse(4);
        for (int w = 0; w < plan.waves().size(); w++) {
            b.append("wave ").append(w + 1).append(":\n");
            for (String name : plan.waves().get(w)) {
                Node n = plan.node(name).orElseThrow();
                b.append(String.format(Locale.ROOT, "  %-" + width + "s  %-7s  %s", name, n.kind().label(),
                        n.container().image()));
                n.pool().ifPresent(p -> b.append("  pool ").append(p));
                List<Edge> in = plan.dependenciesOf(name);
                if (!in.isEmpty()) {
                    b.append("  after ");
                    for (int i = 0; i < in.size(); i++) {
                        b.append(i == 0 ? "" : ", ").append(in.get(i).dependency()).append(' ')
                                .append(in.get(i).condition().label());
                    }
                }
                b.append('\n');
            }
        }
        for (Trigger t : plan.triggers()) {
            b.append("trigger: ").append(t.name()).append(" (").append(t.describe()).append(") runs ")
                    .append(String.join(" -> ", plan.pipeline(t.name()).stream().map(Job::name).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    /** A Mermaid flowchart: services and jobs as nodes, dependencies as edges labelled with their condition. */
    public static String mermaid(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        StringBuilder b = new StringBuilder("graph LR\n");
        Map<String, String> ids = new HashMap<>();
        plan.nodes().forEach(n -> ids.put(n.name(), n.name().replace('-', '_')));
        section(b, plan, Node.Kind.SERVICE, "Services", ids);
        section(b, plan, Node.Kind.JOB, "One-time jobs", ids);
        b.append("\n  %% Dependencies\n");
        for (Edge e : plan.edges()) {
            b.append("  ").append(ids.get(e.dependency())).append(" -->|").append(e.condition().label()).append("| ")
                    .append(ids.get(e.dependent())).append('\n');
        }
        return b.toString();
    }

    private static void section(StringBuilder b, Plan plan, Node.Kind kind, String title, Map<String, String> ids) {
        List<Node> nodes = plan.nodes().stream().filter(n -> n.kind() == kind).toList();
        if (nodes.isEmpty()) {
            return;
        }
        b.append("  %% ").append(title).append('\n');
        for (Node n : nodes) {
            b.append("  ").append(ids.get(n.name())).append("[\"").append(n.name()).append("\"]\n");
        }
    }

    /** A Graphviz digraph: jobs as ellipses, services as boxes, edges labelled with their condition. */
    public static String dot(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        StringBuilder b = new StringBuilder();
        b.append("digraph \"").append(plan.deployment().name()).append("\" {\n  rankdir=LR;\n  node [shape=box];\n");
        for (Node n : plan.nodes()) {
            b.append("  \"").append(n.name()).append('"')
                    .append(n.kind() == Node.Kind.JOB ? " [shape=ellipse]" : "").append(";\n");
        }
        for (Edge e : plan.edges()) {
            b.append("  \"").append(e.dependency()).append("\" -> \"").append(e.dependent()).append("\" [label=\"")
                    .append(e.condition().label()).append("\"];\n");
        }
        return b.append("}\n").toString();
    }

    /** The plan as a JSON document: deployment, selection, nodes with wave and dependencies, waves. */
    public static String json(Plan plan) {
        Objects.requireNonNull(plan, "plan == null");
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("deployment", plan.deployment().name());
        ObjectNode selection = root.putObject("selection");
        ArrayNode profiles = selection.putArray("profiles");
        plan.selection().profiles().forEach(profiles::add);
        selection.put("allProfiles", plan.selection().everyProfile());
        ArrayNode targets = selection.putArray("targets");
        plan.selection().targets().forEach(targets::add);
        Map<String, Integer> wave = new HashMap<>();
        for (int w = 0; w < plan.waves().size(); w++) {
            for (String n : plan.waves().get(w)) {
                wave.put(n, w);
            }
        }
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : plan.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("kind", n.kind().label());
            o.put("image", n.container().image());
            o.put("wave", wave.get(n.name()));
            n.pool().ifPresent(p -> o.put("pool", p));
            ArrayNode deps = o.putArray("dependsOn");
            for (Edge e : plan.dependenciesOf(n.name())) {
                deps.addObject().put("node", e.dependency()).put("condition", e.condition().label());
            }
        }
        ArrayNode waves = root.putArray("waves");
        plan.waves().forEach(w -> {
            ArrayNode a = waves.addArray();
            w.forEach(a::add);
        });
        ArrayNode onDemand = root.putArray("onDemandJobs");
        plan.scheduledJobs().forEach(j -> onDemand.add(j.name()));
        ArrayNode triggers = root.putArray("triggers");
        for (Trigger t : plan.triggers()) {
            ObjectNode o = triggers.addObject().put("name", t.name()).put("kind", t.kind().name().toLowerCase(
                    Locale.ROOT)).put("target", t.target()).put("atStart", t.atStart());
            t.cron().ifPresent(c -> o.put("cron", c).put("zone", t.zone().getId()));
            t.every().ifPresent(d -> o.put("every", d.toString()));
            ArrayNode steps = o.putArray("steps");
            plan.pipeline(t.name()).forEach(j -> steps.add(j.name()));
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain JSON nodes always serializes", e);
        }
    }
}
