package dev.ordo.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordo.Condition;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.ValidationException;
import dev.ordo.ValidationException.Problem;
import dev.ordo.Edge;
import dev.ordo.Plan;
import dev.ordo.run.Failure;
import dev.ordo.run.FailurePolicy;
import dev.ordo.run.NodeState;
import dev.ordo.run.NodeTimeline;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunEvent;
import dev.ordo.run.RunReport;
import dev.ordo.testing.ReportAssert;
import dev.ordo.testing.SimulatedBackend;
import dev.ordo.testing.SimulatedBackend.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** Properties of planning and running random DAGs on the simulated backend. */
class DagProperties {

    /** The index, in the listener's event stream, of the first event at which {@code condition} held of a node. */
    private static Map<String, Integer> firstIndex(List<RunEvent> events, Set<RunEvent.Type> types) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (types.contains(events.get(i).type())) {
                out.putIfAbsent(events.get(i).node(), i);
            }
        }
        return out;
    }

    private static Set<RunEvent.Type> satisfying(Condition c) {
        return switch (c) {
            case STARTED -> Set.of(RunEvent.Type.STARTED, RunEvent.Type.HEALTHY, RunEvent.Type.COMPLETED);
            case HEALTHY -> Set.of(RunEvent.Type.HEALTHY);
            case COMPLETED_SUCCESSFULLY -> Set.of(RunEvent.Type.COMPLETED);
        };
    }

    @Property(tries = 300)
    void noNodeStartsBeforeItsConditionsHold(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, true, true);
        Plan plan = dag.deployment().plan();
        FailurePolicy policy = FailurePolicy.values()[(int) Math.floorMod(seed, 3L)];
        List<RunEvent> events = new ArrayList<>();
        RunReport report = Orchestrator.using(dag.backend()).failurePolicy(policy).listener(events::add).up(plan);

        ReportAssert.assertThat(report).respectsDependencies(plan);
        // the same, checked independently of the test kit: in event order, STARTING of a dependent comes after
        // the event at which each of its conditions held
        Map<String, Integer> starting = firstIndex(events, Set.of(RunEvent.Type.STARTING));
        for (Edge e : plan.edges()) {
            Integer start = starting.get(e.dependent());
            if (start != null) {
                Integer held = firstIndex(events, satisfying(e.condition())).get(e.dependency());
                assertThat(held).as("%s started but %s was never %s\n%s", e.dependent(), e.dependency(),
                        e.condition(), dag).isNotNull();
                assertThat(held).as("%s before %s was %s", e.dependent(), e.dependency(), e.condition())
                        .isLessThan(start);
            }
        }
        // nodes ruled out by a failure never started, and name a root that really failed
        for (NodeTimeline t : report.nodes()) {
            t.failure().filter(f -> f.reason() == Failure.Reason.DEPENDENCY_FAILED).ifPresent(f -> {
                assertThat(t.requested()).as(t.node()).isEmpty();
                f.cause().ifPresent(root -> assertThat(report.node(root).failure()).isPresent());
            });
        }
    }

    @Property(tries = 300)
    void poolSlotsAreNeverExceeded(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, true, true);
        Deployment d = dag.deployment();
        Plan plan = d.plan();
        List<RunEvent> events = new ArrayList<>();
        RunReport report = Orchestrator.using(dag.backend()).failurePolicy(FailurePolicy.CONTINUE)
                .listener(events::add).up(plan);

        ReportAssert.assertThat(report).respectsPools(plan);
        // coverage of the generator: about half the runs have members waiting for a slot or blocked for good
        Statistics.label("some member waited for a slot")
                .collect(events.stream().anyMatch(e -> e.type() == RunEvent.Type.WAITING_FOR_POOL));
        Statistics.label("some member blocked by services holding every slot").collect(report.nodes().stream()
                .anyMatch(t -> t.failure().map(f -> f.reason() == Failure.Reason.POOL_BLOCKED).orElse(false)));
        // independently: sweep the event stream; a member holds its slot from STARTING until it completes or fails
        Map<String, Integer> used = new HashMap<>();
        Set<String> holding = new HashSet<>();
        for (RunEvent e : events) {
            String pool = d.requireNode(e.node()).pool().orElse(null);
            if (pool == null) {
                continue;
            }
            if (e.type() == RunEvent.Type.STARTING) {
                holding.add(e.node());
                int now = used.merge(pool, 1, Integer::sum);
                assertThat(now).as("pool %s at %s\n%s", pool, e.at(), dag).isLessThanOrEqualTo(d.pools().get(pool).slots());
            } else if ((e.type() == RunEvent.Type.COMPLETED || e.type() == RunEvent.Type.FAILED)
                    && holding.remove(e.node())) {
                used.merge(pool, -1, Integer::sum);
            }
        }
        // a pool that is not full at the end has no member left waiting for a slot
        for (NodeTimeline t : report.nodes()) {
            if (t.failure().map(f -> f.reason() == Failure.Reason.POOL_BLOCKED).orElse(false)) {
                String pool = d.requireNode(t.node()).pool().orElseThrow();
                assertThat(used.getOrDefault(pool, 0)).as("%s blocked on a pool with free slots", t.node())
                        .isEqualTo(d.pools().get(pool).slots());
            }
        }
    }

    @Property(tries = 200)
    void teardownIsTheReversePartialOrder(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, false, false);
        Deployment d = dag.deployment();
        SimulatedBackend sim = dag.backend();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(d.plan()).throwIfFailed();
        Duration t0 = sim.elapsed();
        int mark = sim.history().size();
        RunReport down = ordo.down(d);
        ReportAssert.assertThat(down).succeeded();

        List<Action> removes = sim.history().subList(mark, sim.history().size()).stream()
                .filter(a -> a.kind() == Action.Kind.REMOVE).toList();
        Map<String, Action> byNode = new HashMap<>();
        removes.forEach(a -> byNode.put(a.node(), a));
        assertThat(byNode).hasSize(n);
        Map<String, List<String>> dependents = new HashMap<>();
        for (Node node : d.nodes()) {
            for (Dependency dep : node.dependencies()) {
                dependents.computeIfAbsent(dep.target(), k -> new ArrayList<>()).add(node.name());
            }
        }
        for (Node node : d.nodes()) {
            Action mine = byNode.get(node.name());
            Duration expected = t0;
            for (String dependent : dependents.getOrDefault(node.name(), List.of())) {
                Action theirs = byNode.get(dependent);
                // every REMOVE of a node comes after the REMOVE of all its dependents...
                assertThat(removes.indexOf(theirs)).as("%s removed before its dependent %s\n%s", node.name(),
                        dependent, dag).isLessThan(removes.indexOf(mine));
                Duration stopTakes = dag.spec(dependent).stopsAfter();
                Duration grace = dev.ordo.Container.DEFAULT_STOP_GRACE_PERIOD;
                Duration stopped = theirs.at().plus(stopTakes.compareTo(grace) > 0 ? grace : stopTakes);
                expected = expected.compareTo(stopped) > 0 ? expected : stopped;
            }
            // ...and happens exactly when the last of them has stopped: independent nodes stop in parallel
            assertThat(mine.at()).as("REMOVE of %s\n%s", node.name(), dag).isEqualTo(expected);
        }
        assertThat(ordo.status(d)).isEmpty();
    }

    @Property(tries = 200)
    void aSecondUpStartsNothingAndAChangeRecreatesOnlyWhatItMust(@ForAll @IntRange(min = 1, max = 60) int n,
                                                                  @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, false, false);
        Deployment d = dag.deployment();
        SimulatedBackend sim = dag.backend();
        Orchestrator ordo = Orchestrator.using(sim);
        ordo.up(d.plan()).throwIfFailed();

        int mark = sim.history().size();
        RunReport again = ordo.up(d.plan());
        ReportAssert.assertThat(again).succeeded();
        assertThat(sim.history().subList(mark, sim.history().size()))
                .noneMatch(a -> a.kind() == Action.Kind.START || a.kind() == Action.Kind.REMOVE);
        assertThat(again.nodes()).allSatisfy(t -> assertThat(t.reused()).as(t.node()).isTrue());

        // change one node: it is recreated, and so is every node that reaches it through restart(true) edges
        String changed = "n" + Math.floorMod(seed, n);
        Deployment d2 = dag.withChangedImage(changed);
        Set<String> expected = new HashSet<>(Set.of(changed));
        for (Node node : d2.nodes()) { // declaration order is a topological order here
            for (Dependency dep : node.dependencies()) {
                if (dep.restart() && expected.contains(dep.target())) {
                    expected.add(node.name());
                }
            }
        }
        mark = sim.history().size();
        Plan plan2 = d2.plan();
        RunReport third = ordo.up(plan2);
        ReportAssert.assertThat(third).succeeded().respectsDependencies(plan2);
        assertThat(sim.history().subList(mark, sim.history().size()).stream()
                .filter(a -> a.kind() == Action.Kind.START).map(Action::node).toList())
                .as("recreated after changing %s\n%s", changed, dag).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ordo.status(d2)).allSatisfy(st -> assertThat(st.upToDate()).as(st.node()).isTrue());
    }

    @Property(tries = 300)
    void everyNodeOfASuccessOnlyDagEndsReady(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, false, false);
        Plan plan = dag.deployment().plan();
        RunReport report = Orchestrator.using(dag.backend()).up(plan);
        ReportAssert.assertThat(report).succeeded().respectsDependencies(plan).respectsPools(plan);
        for (NodeTimeline t : report.nodes()) {
            RandomDag.Spec s = dag.spec(t.node());
            assertThat(t.ready()).as(t.node()).isPresent();
            assertThat(t.state()).as(t.node()).isEqualTo(s.job() ? NodeState.COMPLETED
                    : s.healthCheck() ? NodeState.HEALTHY : NodeState.STARTED);
        }
    }

    @Property(tries = 300)
    void aNodeOutsidePoolsStartsExactlyWhenItsLastConditionHolds(@ForAll @IntRange(min = 1, max = 60) int n,
                                                                  @ForAll long seed) {
        RandomDag dag = new RandomDag(n, seed, false, false);
        Plan plan = dag.deployment().plan();
        RunReport report = Orchestrator.using(dag.backend()).up(plan);
        for (Node node : plan.nodes()) {
            if (node.pool().isPresent()) {
                continue;
            }
            Duration expected = Duration.ZERO;
            for (Edge e : plan.dependenciesOf(node.name())) {
                NodeTimeline dep = report.node(e.dependency());
                Duration held = (e.condition() == Condition.STARTED ? dep.started() : dep.ready()).orElseThrow();
                expected = held.compareTo(expected) > 0 ? held : expected;
            }
            assertThat(report.node(node.name()).requested()).as("%s\n%s", node.name(), dag).contains(expected);
        }
    }

    @Property(tries = 300)
    void cyclesAreReportedWithARealPath(@ForAll @IntRange(min = 2, max = 60) int n, @ForAll long seed) {
        Random r = new Random(seed);
        List<Set<Integer>> deps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Set<Integer> ds = new HashSet<>();
            int k = i == 0 ? 0 : 1 + r.nextInt(Math.min(i, 3));
            while (ds.size() < k) {
                ds.add(r.nextInt(i));
            }
            deps.add(ds);
        }
        // close 1..3 cycles: a node j gets a dependency on a node i > j that (transitively) needs j
        int closed = 0;
        for (int attempt = 0; attempt < 50 && closed < 1 + r.nextInt(3); attempt++) {
            int i = 1 + r.nextInt(n - 1);
            List<Integer> needs = new ArrayList<>(reach(deps, i));
            needs.removeIf(x -> x >= i);
            if (!needs.isEmpty()) {
                int j = needs.get(r.nextInt(needs.size()));
                deps.get(j).add(i);
                closed++;
            }
        }
        if (closed == 0) { // a two-node graph without the edge: make one
            deps.get(1).add(0);
            deps.get(0).add(1);
        }
        Deployment.Builder b = Deployment.builder("cyclic");
        for (int i = 0; i < n; i++) {
            Set<Integer> ds = deps.get(i);
            b.service("n" + i, s -> {
                s.image("x:1");
                ds.forEach(d -> s.dependsOn("n" + d));
            });
        }
        ValidationException e = catchThrowableOfType(b::build, ValidationException.class);
        assertThat(e).as("a cyclic graph must not validate").isNotNull();
        List<Problem> cycles = e.problems().stream().filter(p -> p.message().startsWith("dependency cycle ")).toList();
        assertThat(cycles).isNotEmpty();
        assertThat(e.problems()).hasSameSizeAs(cycles); // nothing else is wrong with these graphs
        Set<String> seen = new HashSet<>();
        for (Problem p : cycles) {
            String m = p.message();
            List<String> path = List.of(m.substring("dependency cycle ".length(), m.indexOf(" (")).split(" -> "));
            assertThat(path.size()).as(m).isGreaterThanOrEqualTo(3);
            assertThat(path.get(0)).as(m).isEqualTo(path.get(path.size() - 1));
            assertThat(new HashSet<>(path.subList(0, path.size() - 1))).as("a simple cycle: %s", m)
                    .hasSize(path.size() - 1);
            assertThat(p.subject()).isEqualTo(path.get(0));
            for (int k = 0; k + 1 < path.size(); k++) {
                int from = Integer.parseInt(path.get(k).substring(1));
                int to = Integer.parseInt(path.get(k + 1).substring(1));
                assertThat(deps.get(from)).as("%s really depends on %s in %s", path.get(k), path.get(k + 1), m)
                        .contains(to);
            }
            // one cycle per strongly-connected component: no node is in two reported cycles
            for (String node : path.subList(0, path.size() - 1)) {
                assertThat(seen.add(node)).as("%s in two reported cycles", node).isTrue();
            }
        }
    }

    /** Every node {@code i} needs, directly or not (including through cycles). */
    private static Set<Integer> reach(List<Set<Integer>> deps, int i) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> todo = new ArrayList<>(deps.get(i));
        while (!todo.isEmpty()) {
            int x = todo.remove(todo.size() - 1);
            if (seen.add(x)) {
                todo.addAll(deps.get(x));
            }
        }
        return seen;
    }
}
