package dev.ordo;

import dev.ordo.ValidationException.Problem;
import dev.ordo.internal.Graphs;
import dev.ordo.internal.Names;
import dev.ordo.spi.support.DnsNames;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Checks a whole deployment at once and reports every problem, each naming the node at fault and the fix. The
 * deployment's own rules (names, dependencies, cycles, pools, secrets, volumes, networks) are here; what one
 * container may hold is {@link ContainerRules}'. Every name is quoted cut ({@link Names#quote}) and every
 * "did you mean" spends one {@link Names.Budget}, so no input makes a message long or validation slow.
 */
final class Validator {

    private final String deployment;
    private final List<Problem> problems = new ArrayList<>();
    private final Names.Budget budget = Names.Budget.forValidation();
    /** Nodes whose names are too long to be valid: kept out of the index, found by {@link #indexOf}. */
    private final List<Integer> longNames = new ArrayList<>();
    private List<Node> nodes = List.of();

    private Validator(String deployment) {
        this.deployment = deployment;
    }

    /**
     * Throws a {@link ValidationException} listing every problem of the definitions, or returns their
     * {@link Topology}.
     */
    static Topology validate(String deployment, List<Node> nodes, List<Pool> pools, List<Secret> secrets,
                             List<Trigger> triggers, Map<String, Volume> volumes, Map<String, Network> networks) {
        Validator v = new Validator(deployment);
        Topology topology = v.run(nodes, pools, secrets, volumes, networks);
        TriggerRules.check(nodes, triggers, v::problem, v.budget);
        if (!v.problems.isEmpty()) {
            throw new ValidationException(deployment, v.problems);
        }
        return topology;
    }

    void problem(String subject, String message) {
        problems.add(new Problem(subject, message));
    }

    private Topology run(List<Node> nodes, List<Pool> pools, List<Secret> secrets, Map<String, Volume> volumes,
                         Map<String, Network> networks) {
        if (!DnsNames.isName(deployment)) {
            problem(deployment, "deployment name " + Names.quote(deployment) + " is not a valid name; "
                    + DnsNames.nameHint());
        }
        Map<String, Pool> poolsByName = new HashMap<>();
        for (Pool p : pools) {
            if (p.name().length() > DnsNames.LONGEST) {
                problem(p.name(), "pool name " + Names.quote(p.name()) + " is longer than 63 characters; " + dnsHint());
                continue; // not hashed: see indexOf
            }
            if (poolsByName.put(p.name(), p) != null) {
                problem(p.name(), "pool " + Names.quote(p.name()) + " is defined twice; keep one definition");
            }
            if (!DnsNames.isLabel(p.name())) {
                problem(p.name(), "pool name " + Names.quote(p.name()) + " is not a DNS-1123 label; " + dnsHint());
            }
            if (p.slots() < 0) {
                problem(p.name(), "pool " + Names.quote(p.name()) + " has " + p.slots()
                        + " slots; give it 0 (drained) or more");
            }
        }
        Set<String> secretNames = new HashSet<>();
        for (Secret s : secrets) {
            if (s.name().length() > DnsNames.LONGEST) {
                problem(s.name(), "secret name " + Names.quote(s.name()) + " is not a valid name; "
                        + DnsNames.nameHint());
                continue;
            }
            if (!secretNames.add(s.name())) {
                problem(s.name(), "secret " + Names.quote(s.name()) + " is defined twice; keep one definition");
            }
            if (!DnsNames.isName(s.name())) {
                problem(s.name(), "secret name " + Names.quote(s.name()) + " is not a valid name; "
                        + DnsNames.nameHint());
            }
        }
        for (Volume v : volumes.values()) {
            checkShared("volume", v.name(), v.platformName());
            if (v.external() && v.hasDriver()) {
                problem(v.name(), "volume " + Names.quote(v.name()) + " is external and sets a driver; an external"
                        + " volume exists already as it was made: drop the driver, or let Ordo create the volume");
            }
        }
        for (Network n : networks.values()) {
            checkShared("network", n.name(), n.platformName());
            if (n.internal() && n.external()) {
                problem(n.name(), "network " + Names.quote(n.name()) + " is external and internal; an external"
                        + " network is what it already is: drop asInternal(), or make it the deployment's own");
            }
        }
        Map<String, Integer> index = new HashMap<>(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.name().length() > DnsNames.LONGEST) {
                longNames.add(i); // never hashed: a hash reads every character, equals compares them in bulk
            } else if (index.putIfAbsent(n.name(), i) != null) {
                problem(n.name(), "node name " + Names.quote(n.name()) + " is defined twice; rename one of them");
            }
        }
        this.nodes = nodes;
        int[][] deps = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            deps[i] = checkNode(nodes.get(i), nodes, index, poolsByName, secretNames);
        }
        PortClashes.alwaysEnabled(nodes).forEach(c -> problem(c.subject(), c.message()));
        checkCycles(nodes, deps);
        problems.sort(Comparator.comparing(Problem::subject).thenComparing(Problem::message));
        return new Topology(Collections.unmodifiableMap(index), deps);
    }

    private void checkShared(String kind, String name, String platformName) {
        if (!DnsNames.isName(name)) {
            problem(name, kind + " name " + Names.quote(name) + " is not a valid name; " + DnsNames.nameHint());
        }
        if (!platformName.isEmpty() && !DnsNames.isName(platformName)) {
            problem(name, kind + " " + Names.quote(name) + " is named " + Names.quote(platformName)
                    + " on the platform, which is not a valid name; " + DnsNames.nameHint());
        }
    }

    private static String dnsHint() {
        return "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
    }

    /** Checks one node; returns its dependencies' indices (only those that exist, once each, not itself). */
    private int[] checkNode(Node n, List<Node> nodes, Map<String, Integer> index, Map<String, Pool> pools,
                            Set<String> secrets) {
        String what = n.kind().label() + " " + Names.quote(n.name());
        if (!DnsNames.isName(n.name())) {
            problem(n.name(), what + ": the name is not a valid name; " + DnsNames.nameHint()
                    + (n.name().length() > DnsNames.LONGEST ? "" : " (e.g. '" + DnsNames.toLabel(n.name()) + "')"));
        }
        Container c = n.container();
        if (c.image().isBlank() && c.build().isEmpty()) {
            problem(n.name(), what + " has no image; set one with .image(\"name:tag\"), or build one with"
                    + " .build(Build.context(\"dir\"))");
        }
        int[] deps = checkDependencies(n, what, nodes, index);
        n.pool().ifPresent(p -> {
            if (p.length() > DnsNames.LONGEST || !pools.containsKey(p)) {
                problem(n.name(), what + " uses pool " + Names.quote(p) + ", which is not defined"
                        + Names.didYouMean(p, pools.keySet(), budget) + " (define it with .pool(\"" + Names.cut(p)
                        + "\", slots))");
            }
        });
        for (SecretRef s : c.secrets()) {
            if (s.secret().length() > DnsNames.LONGEST || !secrets.contains(s.secret())) {
                problem(n.name(), what + " uses secret " + Names.quote(s.secret()) + ", which is not defined"
                        + Names.didYouMean(s.secret(), secrets, budget) + " (define it with .secret(Secret.fromEnv(...)))");
            }
        }
        ContainerRules.check(n, what, this::problem);
        if (n instanceof Service s) {
            if (s.replicas() < 0 || s.replicas() > MAX_REPLICAS) {
                problem(n.name(), what + " has " + s.replicas() + " replicas; use 0 to " + MAX_REPLICAS);
            }
            if (s.maxRestarts() < 0) {
                problem(n.name(), what + " may restart at most " + s.maxRestarts() + " times; use 0 (no limit) or"
                        + " more");
            } else if (s.maxRestarts() > 0 && s.restartPolicy() != RestartPolicy.ON_FAILURE) {
                problem(n.name(), what + " limits its restarts to " + s.maxRestarts() + ", but its restart policy is "
                        + s.restartPolicy() + "; a limit applies to ON_FAILURE only (as Docker's on-failure:N)");
            }
        } else if (n instanceof Job j) {
            if (j.backoffLimit() < 0) {
                problem(n.name(), what + " has " + j.backoffLimit() + " retries; use 0 or more");
            }
            j.activeDeadline().filter(d -> d.isNegative() || d.isZero()).ifPresent(d ->
                    problem(n.name(), what + " has active deadline " + d + "; use a positive duration"));
            j.activeDeadline().ifPresent(d -> notHuge(n, what, "active deadline", d, this::problem));
            j.schedule().ifPresent(cron -> Cron.problem(cron).ifPresent(p ->
                    problem(n.name(), what + " has cron schedule '" + Cron.abbreviate(cron) + "', which is invalid: "
                            + p)));
        }
        return deps;
    }

    /**
     * The longest duration a deployment may hold: longer ones overflow the instants and millisecond counts they
     * are turned into at run time (Docker's and Kubernetes' fields are seconds in an int).
     */
    static final Duration LONGEST = Duration.ofDays(365L * 50);

    /** The most replicas of one service: each is a container (a pod) that the engine tracks one by one. */
    static final int MAX_REPLICAS = 1000;

    static void notHuge(Node n, String what, String field, Duration d,
                        BiConsumer<String, String> problem) {
        if (d.compareTo(LONGEST) > 0) {
            problem.accept(n.name(), what + " has " + field + " " + d + ", longer than 50 years; use a shorter duration");
        }
    }

    private int[] checkDependencies(Node n, String what, List<Node> nodes, Map<String, Integer> index) {
        List<Dependency> dependencies = n.dependencies();
        int[] out = new int[dependencies.size()];
        int count = 0;
        for (int k = 0; k < dependencies.size(); k++) {
            Dependency d = dependencies.get(k);
            // a node has a handful of dependencies: a scan beats a HashSet per node at 100k nodes
            boolean twice = false;
            for (int j = 0; j < k && !twice; j++) {
                twice = dependencies.get(j).target().equals(d.target());
            }
            String target = Names.quote(d.target());
            if (twice) {
                problem(n.name(), what + " depends on " + target + " twice; keep one dependency");
                continue;
            }
            if (d.target().equals(n.name())) {
                problem(n.name(), what + " depends on itself; remove .dependsOn(\"" + Names.cut(n.name()) + "\")");
                continue;
            }
            Integer t = indexOf(d.target(), index);
            if (t == null) {
                String suggestion = Names.didYouMean(d.target(), index.keySet(), budget);
                String cut = Names.cut(d.target());
                problem(n.name(), what + " depends on " + target + ", which is not defined" + (suggestion.isEmpty()
                        ? "; define it with .service(\"" + cut + "\", ...) or .job(\"" + cut
                                + "\", ...), or remove the dependency" : suggestion));
                continue;
            }
            out[count++] = t;
            Node dep = nodes.get(t);
            String targetWhat = dep.kind().label() + " " + Names.quote(dep.name());
            if (dep instanceof Job j && j.isOnDemand() && !(n instanceof Job nj && nj.isOnDemand())) {
                problem(n.name(), what + " depends on " + targetWhat + ", which " + j.schedule().map(c -> "runs on"
                        + " schedule '" + Cron.abbreviate(c) + "'").orElse("runs on demand") + " and is not part of"
                        + " the start-up order; remove the dependency, or make " + Names.quote(n.name()) + " an"
                        + " on-demand job of the same pipeline");
            } else if (d.condition() == Condition.HEALTHY && dep instanceof Job) {
                problem(n.name(), what + " waits for " + targetWhat + " to be HEALTHY, but jobs have no health; use"
                        + " COMPLETED_SUCCESSFULLY or STARTED");
            } else if (d.condition() == Condition.HEALTHY && !dep.hasHealthCheck()) {
                problem(n.name(), what + " waits for " + targetWhat + " to be HEALTHY, but it has no health check;"
                        + " give " + Names.quote(dep.name()) + " a .healthCheck(...) or wait for STARTED");
            } else if (d.condition() == Condition.COMPLETED_SUCCESSFULLY && dep instanceof Service) {
                problem(n.name(), what + " waits for " + targetWhat + " to COMPLETE_SUCCESSFULLY, but services run"
                        + " until stopped; use HEALTHY or STARTED, or make " + Names.quote(dep.name()) + " a job");
            }
        }
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    /**
     * {@code a -> b -> a (a needs b, b needs a)}; a cycle too long to write out ({@link #CYCLE_TEXT}) shows its
     * first and last few nodes, so that a message stays short whatever the input.
     */
    static String cyclePath(List<String> cycle) {
        List<String> shown = cycle.stream().map(Names::cut).toList();
        String arrows = String.join(" -> ", shown) + " -> " + shown.get(0);
        if (arrows.length() > CYCLE_TEXT) {
            arrows = String.join(" -> ", shown.subList(0, 4)) + " -> ... -> " + String.join(" -> ",
                    shown.subList(shown.size() - 2, shown.size())) + " -> " + shown.get(0);
        }
        StringBuilder needs = new StringBuilder();
        for (int i = 0; i < shown.size() && needs.length() <= CYCLE_TEXT; i++) {
            needs.append(i == 0 ? "" : ", ").append(shown.get(i)).append(" needs ")
                    .append(shown.get((i + 1) % shown.size()));
        }
        return arrows + " (" + (needs.length() <= CYCLE_TEXT ? needs : cycle.size() + " nodes, each needing the next")
                + ")";
    }

    /** How long a cycle's path may be written out in full before it is named by its ends. */
    static final int CYCLE_TEXT = 600;

    /** The node named {@code name}: from the index, or for an over-long name by comparing with the long ones. */
    private Integer indexOf(String name, Map<String, Integer> index) {
        if (name.length() <= DnsNames.LONGEST) {
            return index.get(name);
        }
        for (int i : longNames) {
            if (nodes.get(i).name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    private void checkCycles(List<Node> nodes, int[][] deps) {
        List<String> names = new AbstractList<>() {
            @Override
            public String get(int i) {
                return nodes.get(i).name();
            }

            @Override
            public int size() {
                return nodes.size();
            }
        };
        for (List<String> cycle : Graphs.cycles(names, deps)) {
            String first = cycle.get(0);
            problem(first, "dependency cycle " + cyclePath(cycle) + "; remove one of these dependencies");
        }
    }
}
