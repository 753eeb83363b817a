package dev.ordo.dataflow;

import dev.ordo.Dependency;
import dev.ordo.Node;
import dev.ordo.Plan;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which nodes a restart or a redeploy touches: the nodes themselves and, transitively, their restart(true) dependents. */
final class Dependents {
    private Dependents() {
    }

    /** Nodes of {@code old} that {@code next} changes or drops, with their restart(true) dependents. */
    static List<String> changed(Plan old, Plan next) {
        Set<String> changed = new LinkedHashSet<>();
        for (Node n : old.nodes()) {
            Optional<Node> m = next.node(n.name());
            if (m.isEmpty() || !m.get().configHash().equals(n.configHash())) {
                changed.add(n.name());
            }
        }
        return withRestartDependents(old, changed);
    }

    static List<String> withRestartDependents(Plan plan, Set<String> seed) {
        Set<String> all = new LinkedHashSet<>(seed);
        ArrayDeque<String> work = new ArrayDeque<>(seed);
        while (!work.isEmpty()) {
            String n = work.poll();
            for (Node d : plan.nodes()) {
                for (Dependency dep : d.dependencies()) {
                    if (dep.target().equals(n) && dep.restart() && all.add(d.name())) {
                        work.add(d.name());
                    }
                }
            }
        }
        return new ArrayList<>(all);
    }
}
