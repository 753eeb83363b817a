package dev.ordo;

import dev.ordo.internal.Graphs;
import dev.ordo.internal.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What {@code up} will do: the selected nodes in a start order, the edges with their conditions, the waves
 * (topological levels: every node of wave {@code k} needs only nodes of earlier waves), the teardown waves, and
 * critical paths. Immutable; made by {@link Planner}.
 *
 * <pre>{@code
 * Plan plan = deployment.plan();
 * plan.waves();                                      // [[database, queue, redis], [db-table-creator], ...]
 * plan.transitiveDependencies("webui");              // everything webui needs
 * plan.criticalPath(Map.of("database", Duration.ofSeconds(20)));
 * }</pre>
 */
public final class Plan {
    private final Deployment deployment;
    private final Selection selection;
    private final List<Node> nodes;
    private final Topology topology;
    /** Declaration index (in the deployment) to position in {@link #nodes}, or -1 when not planned. */
    private final int[] position;
    private final int[][] deps;
    private final int[][] dependents;
    private final List<Edge> edges;
    private final List<List<Edge>> incoming;
    private final List<List<Edge>> outgoing;
    private final List<List<String>> waves;
    private final List<List<String>> teardownWaves;
    private final List<Job> scheduledJobs;

    Plan(Deployment deployment, Selection selection, List<Node> dense, int[][] denseDeps, int[] order,
         List<Job> scheduledJobs, Topology topology, int[] denseOfDeclared) {
        this.deployment = deployment;
        this.selection = selection;
        int n = dense.size();
        int[] rank = new int[n];
        List<Node> ordered = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            rank[order[k]] = k;
            ordered.add(dense.get(order[k]));
        }
        this.nodes = Collections.unmodifiableList(ordered);
        this.topology = topology;
        this.position = new int[denseOfDeclared.length];
        int[] declaredOf = new int[n];
        for (int i = 0; i < denseOfDeclared.length; i++) {
            int d = denseOfDeclared[i];
            position[i] = d < 0 ? -1 : rank[d];
            if (d >= 0) {
                declaredOf[rank[d]] = i;
            }
        }
        this.deps = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] ds = new int[denseDeps[i].length];
            for (int j = 0; j < ds.length; j++) {
                ds[j] = rank[denseDeps[i][j]];
            }
            deps[rank[i]] = ds;
        }
        this.dependents = Graphs.invert(deps);
        List<Edge> all = new ArrayList<>();
        List<List<Edge>> in = new ArrayList<>(n);
        List<List<Edge>> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            in.add(new ArrayList<>(2));
            out.add(new ArrayList<>(2));
        }
        for (int k = 0; k < n; k++) {
            Node node = ordered.get(k);
            int[] targets = topology.deps()[declaredOf[k]];
            for (int j = 0; j < targets.length; j++) {
                Dependency d = node.dependencies().get(j);
                int t = position[targets[j]];
                if (t >= 0) {
                    Edge e = new Edge(d.target(), node.name(), d.condition(), d.restart());
                    all.add(e);
                    in.get(k).add(e);
                    out.get(t).add(e);
                }
            }
        }
        this.edges = List.copyOf(all);
        this.incoming = in.stream().map(List::copyOf).toList();
        this.outgoing = out.stream().map(List::copyOf).toList();
        this.waves = levels(deps);
        this.teardownWaves = levels(dependents);
        this.scheduledJobs = List.copyOf(scheduledJobs);
        Set<String> onDemand = new HashSet<>();
        this.scheduledJobs.forEach(j -> onDemand.add(j.name()));
        this.triggers = deployment.triggers().values().stream().filter(x -> onDemand.contains(x.target())).toList();
    }

    private List<List<String>> levels(int[][] before) {
        // Nodes are in topological order for `deps`; for `dependents` walk backwards so inputs are known first.
        int n = nodes.size();
        int[] level = new int[n];
        int max = -1;
        boolean forward = before == deps;
        for (int step = 0; step < n; step++) {
            int k = forward ? step : n - 1 - step;
            int l = 0;
            for (int b : before[k]) {
                l = Math.max(l, level[b] + 1);
            }
            level[k] = l;
            max = Math.max(max, l);
        }
        List<List<String>> out = new ArrayList<>();
        for (int l = 0; l <= max; l++) {
            out.add(new ArrayList<>());
        }
        for (int k = 0; k < n; k++) {
            out.get(level[k]).add(nodes.get(k).name());
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The deployment this plan is for. */
    public Deployment deployment() {
        return deployment;
    }

    /** The selection this plan was made for. */
    public Selection selection() {
        return selection;
    }

    /** The planned nodes in a start order: every node after all it depends on. Scheduled jobs are not in it. */
    public List<Node> nodes() {
        return nodes;
    }

    /** How many nodes are in the start order. */
    public int size() {
        return nodes.size();
    }

    /** Whether the start order holds a node called {@code name}. */
    public boolean contains(String name) {
        return find(name) >= 0;
    }

    /** The planned node called {@code name}, if it is in the start order. */
    public Optional<Node> node(String name) {
        int k = find(name);
        return k < 0 ? Optional.empty() : Optional.of(nodes.get(k));
    }

    /**
     * The triggers whose target the selection enables, in declaration order: what a living deployment of this plan
     * fires.
     */
    public List<Trigger> triggers() {
        return triggers;
    }

    private final List<Trigger> triggers;
    // A cache of what computePipeline derives from the immutable fields: a living deployment asks for every run.
    private final Map<String, List<Job>> pipelines = new ConcurrentHashMap<>();

    /**
     * The steps of a run of {@code trigger}: its target and the on-demand jobs it depends on, in start order.
     *
     * @throws OrdoException naming the closest trigger when the plan has no trigger of that name
     */
    public List<Job> pipeline(String trigger) {
        List<Job> known = pipelines.get(trigger);
        if (known != null) {
            return known;
        }
        List<Job> computed = computePipeline(trigger);
        pipelines.put(trigger, computed);
        return computed;
    }

    private List<Job> computePipeline(String trigger) {
        Trigger t = triggers().stream().filter(x -> x.name().equals(trigger)).findFirst().orElseThrow(() ->
                new OrdoException("the plan of '" + deployment.name() + "' has no trigger '" + trigger + "'"
                        + Names.didYouMean(trigger, triggers().stream().map(Trigger::name).toList())
                        + " (triggers whose target the selection disables are not part of it)"));
        Map<String, Node> byName = new HashMap<>();
        deployment.nodes().forEach(n -> byName.put(n.name(), n));
        Set<String> steps = TriggerRules.pipeline(t.target(), byName);
        // the declaration order of on-demand jobs respects their dependencies only by accident: sort topologically
        List<Job> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (ordered.size() < steps.size()) {
            for (String name : steps) {
                Job j = (Job) byName.get(name);
                if (!placed.contains(name) && j.dependencies().stream().map(Dependency::target)
                        .filter(steps::contains).allMatch(placed::contains)) {
                    ordered.add(j);
                    placed.add(name);
                }
            }
        }
        return List.copyOf(ordered);
    }

    /** The on-demand (triggered) jobs the selection enables: never part of the start-up order. */
    public List<Job> scheduledJobs() {
        return scheduledJobs;
    }

    /** Every edge between planned nodes, grouped by dependent in start order. */
    public List<Edge> edges() {
        return edges;
    }

    /** The edges into {@code node}: what it waits for. */
    public List<Edge> dependenciesOf(String node) {
        return incoming.get(indexOf(node));
    }

    /** The edges out of {@code node}: who waits for it. */
    public List<Edge> dependentsOf(String node) {
        return outgoing.get(indexOf(node));
    }

    /** Everything {@code node} needs, directly or not, in start order. */
    public Set<String> transitiveDependencies(String node) {
        BitSet seen = Graphs.reachable(deps, indexOf(node));
        Set<String> out = new LinkedHashSet<>();
        for (int k = seen.nextSetBit(0); k >= 0; k = seen.nextSetBit(k + 1)) {
            out.add(nodes.get(k).name());
        }
        return Collections.unmodifiableSet(out);
    }

    /** Topological levels for start-up: wave 0 needs nothing; each later wave needs only earlier ones. */
    public List<List<String>> waves() {
        return waves;
    }

    /**
     * Levels for teardown: wave 0 holds the nodes nothing depends on; each later wave only nodes whose dependents
     * are all in earlier waves. The engine stops each node as soon as its dependents have stopped.
     */
    public List<List<String>> teardownWaves() {
        return teardownWaves;
    }

    /** The critical path when node {@code n} takes {@code estimates.get(n)} (zero when absent). */
    public CriticalPath criticalPath(Map<String, Duration> estimates) {
        Objects.requireNonNull(estimates, "estimates == null");
        return criticalPath(n -> estimates.getOrDefault(n.name(), Duration.ZERO));
    }

    /** The critical path when each node takes {@code estimate.apply(node)} from its start until it is ready. */
    public CriticalPath criticalPath(Function<Node, Duration> estimate) {
        Objects.requireNonNull(estimate, "estimate == null");
        int n = nodes.size();
        if (n == 0) {
            return new CriticalPath(List.of(), Duration.ZERO);
        }
        long[] finish = new long[n];
        int[] via = new int[n];
        int last = 0;
        for (int k = 0; k < n; k++) {
            long start = 0;
            via[k] = -1;
            for (int d : deps[k]) {
                if (finish[d] > start || via[k] < 0 && finish[d] == start) {
                    start = finish[d];
                    via[k] = d;
                }
            }
            finish[k] = start + estimate.apply(nodes.get(k)).toNanos();
            if (finish[k] >= finish[last]) {
                last = k;
            }
        }
        List<String> path = new ArrayList<>();
        for (int k = last; k >= 0; k = via[k]) {
            path.add(nodes.get(k).name());
        }
        Collections.reverse(path);
        return new CriticalPath(path, Duration.ofNanos(finish[last]));
    }

    /** The position of {@code name} in {@link #nodes}, or -1. */
    private int find(String name) {
        Integer i = topology.index().get(name);
        return i == null ? -1 : position[i];
    }

    private int indexOf(String node) {
        int k = find(node);
        if (k < 0) {
            throw new OrdoException("node '" + node + "' is not in this plan of deployment '" + deployment.name()
                    + "'" + Names.didYouMean(node, nodes.stream().map(Node::name).toList())
                    + "; check the selection's profiles and targets");
        }
        return k;
    }

    @Override
    public String toString() {
        return "Plan[" + deployment.name() + ", " + nodes.size() + " nodes, " + waves.size() + " waves]";
    }
}
