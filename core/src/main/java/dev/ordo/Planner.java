package dev.ordo;

import dev.ordo.ValidationException.Problem;
import dev.ordo.internal.Graphs;
import dev.ordo.internal.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a validated deployment and a {@link Selection} into a {@link Plan}: which nodes run, the edges between them,
 * a topological start order and the waves. {@link Deployment#plan(Selection)} is the usual way in.
 *
 * <pre>{@code
 * Plan plan = Planner.plan(deployment, Selection.profiles("native-query").withTargets("webui"));
 * }</pre>
 */
final class Planner {
    private Planner() {
    }

    /**
     * Plans {@code deployment} for {@code selection}.
     *
     * @throws ValidationException when the selection names an unknown node or profile, or enables a node that
     *                             requires a node the selection disables (the message names both)
     */
    public static Plan plan(Deployment deployment, Selection selection) {
        List<Node> all = deployment.nodes();
        Topology topology = deployment.topology();
        Map<String, Integer> index = topology.index();
        List<Problem> problems = new ArrayList<>();
        checkSelection(deployment, selection, index, problems);
        BitSet enabled = new BitSet(all.size());
        for (int i = 0; i < all.size(); i++) {
            Node n = all.get(i);
            if (selection.enables(n.profiles()) || selection.targets().contains(n.name())) {
                enabled.set(i);
            }
        }
        int[][] deps;
        if (enabled.cardinality() == all.size()) {
            deps = topology.deps(); // shared, read only
        } else {
            deps = new int[all.size()][];
            for (int i = 0; i < all.size(); i++) {
                deps[i] = enabled.get(i)
                        ? enabledDependencies(all.get(i), topology.deps()[i], all, enabled, selection, problems)
                        : new int[0];
            }
        }
        List<Node> on = new ArrayList<>(enabled.cardinality());
        boolean profiled = false;
        for (int i = enabled.nextSetBit(0); i >= 0; i = enabled.nextSetBit(i + 1)) {
            on.add(all.get(i));
            profiled |= !all.get(i).profiles().isEmpty();
        }
        if (profiled) { // build() refused clashes among the nodes without profiles: only profiled ones are left
            problems.addAll(PortClashes.among(on, " (both are enabled by the selected profiles)"));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(deployment.name(), problems);
        }
        BitSet selected = selection.targets().isEmpty() ? enabled : closure(selection.targets(), index, deps);
        return build(deployment, selection, all, selected, deps, topology);
    }

    private static void checkSelection(Deployment d, Selection selection, Map<String, Integer> index,
                                       List<Problem> problems) {
        for (String t : selection.targets()) {
            if (!index.containsKey(t)) {
                problems.add(new Problem(t, "target " + Names.quote(t) + " is not a node of deployment '" + d.name() + "'"
                        + Names.didYouMean(t, index.keySet())));
            } else if (d.requireNode(t) instanceof Job j && j.isOnDemand()) {
                problems.add(new Problem(t, "target '" + t + "' is an on-demand job; triggers run it, not up:"
                        + " select it by its profiles and run it with a trigger instead"));
            }
        }
        Set<String> known = d.profiles();
        for (String p : selection.profiles()) {
            if (!known.contains(p)) {
                problems.add(new Problem(p, "profile " + Names.quote(p) + " is not used by any node of deployment '"
                        + d.name() + "'" + Names.didYouMean(p, known) + " (known profiles: " + String.join(", ",
                        known.stream().limit(20).map(Names::cut).toList()) + (known.size() > 20 ? ", ..." : "")
                        + ")"));
            }
        }
    }

    private static int[] enabledDependencies(Node n, int[] targets, List<Node> all, BitSet enabled,
                                             Selection selection, List<Problem> problems) {
        List<Integer> out = new ArrayList<>(n.dependencies().size());
        for (int k = 0; k < targets.length; k++) {
            Dependency dep = n.dependencies().get(k);
            int t = targets[k];
            if (enabled.get(t)) {
                out.add(t);
            } else if (dep.required()) {
                Set<String> profiles = new TreeSet<>(all.get(t).profiles());
                problems.add(new Problem(n.name(), n.kind().label() + " '" + n.name() + "' requires '" + dep.target()
                        + "', which the selection disables (it needs one of the profiles " + profiles
                        + ", active: " + (selection.everyProfile() ? "all" : selection.profiles()) + "); activate one"
                        + " of those profiles, or make the dependency optional with Dependency.on(\"" + dep.target()
                        + "\", ...).required(false)"));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static BitSet closure(Set<String> targets, Map<String, Integer> index, int[][] deps) {
        int[] starts = targets.stream().mapToInt(index::get).toArray();
        BitSet seen = Graphs.reachable(deps, starts);
        for (int s : starts) {
            seen.set(s);
        }
        return seen;
    }

    private static Plan build(Deployment deployment, Selection selection, List<Node> all, BitSet selected,
                              int[][] deps, Topology topology) {
        // Renumber the selected, non-scheduled nodes densely; scheduled jobs sit outside the start-up order.
        int[] dense = new int[all.size()];
        Arrays.fill(dense, -1);
        List<Node> nodes = new ArrayList<>(selected.cardinality());
        List<Job> scheduled = new ArrayList<>();
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            Node n = all.get(i);
            if (n instanceof Job j && j.isOnDemand()) {
                scheduled.add(j);
            } else {
                dense[i] = nodes.size();
                nodes.add(n);
            }
        }
        int[][] sub = new int[nodes.size()][];
        int k = 0;
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            if (dense[i] >= 0) {
                sub[k++] = renumber(deps[i], dense);
            }
        }
        int[] order = Graphs.topologicalOrder(sub);
        return new Plan(deployment, selection, nodes, sub, order, scheduled, topology, dense);
    }

    /** {@code deps} through {@code dense}, dropping the unplanned (-1); the input itself when nothing changes. */
    private static int[] renumber(int[] deps, int[] dense) {
        int[] out = new int[deps.length];
        int c = 0;
        for (int d : deps) {
            if (dense[d] >= 0) {
                out[c++] = dense[d];
            }
        }
        return c == out.length ? out : Arrays.copyOf(out, c);
    }
}
