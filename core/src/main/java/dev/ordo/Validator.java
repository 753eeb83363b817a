package dev.ordo;

import dev.ordo.spi.support.DnsNames;
import dev.ordo.internal.Names;
import dev.ordo.internal.Graphs;
import dev.ordo.ValidationException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Checks a whole deployment at once and reports every problem, each naming the node at fault and the fix. */
final class Validator {

    private final String deployment;
    private final List<Problem> problems = new ArrayList<>();

    private Validator(String deployment) {
        this.deployment = deployment;
    }

    /**
     * Throws a {@link ValidationException} listing every problem of the definitions, or returns their
     * {@link Topology}.
     */
    public static Topology validate(String deployment, List<Node> nodes, List<Pool> pools, List<Secret> secrets,
                                    List<Trigger> triggers) {
        Validator v = new Validator(deployment);
        Topology topology = v.run(nodes, pools, secrets);
        TriggerRules.check(nodes, triggers, v::problem);
        if (!v.problems.isEmpty()) {
            throw new ValidationException(deployment, v.problems);
        }
        return topology;
    }

    void problem(String subject, String message) {
        problems.add(new Problem(subject, message));
    }

    private Topology run(List<Node> nodes, List<Pool> pools, List<Secret> secrets) {
        if (!DnsNames.isLabel(deployment)) {
            problem(deployment, "deployment name '" + deployment + "' is not a DNS-1123 label; " + dnsHint());
        }
        Map<String, Pool> poolsByName = new HashMap<>();
        for (Pool p : pools) {
            if (poolsByName.put(p.name(), p) != null) {
                problem(p.name(), "pool '" + p.name() + "' is defined twice; keep one definition");
            }
            if (!DnsNames.isLabel(p.name())) {
                problem(p.name(), "pool name '" + p.name() + "' is not a DNS-1123 label; " + dnsHint());
            }
            if (p.slots() < 0) {
                problem(p.name(), "pool '" + p.name() + "' has " + p.slots()
                        + " slots; give it 0 (drained) or more");
            }
        }
        Set<String> secretNames = new HashSet<>();
        for (Secret s : secrets) {
            if (!secretNames.add(s.name())) {
                problem(s.name(), "secret '" + s.name() + "' is defined twice; keep one definition");
            }
            if (!DnsNames.isLabel(s.name())) {
                problem(s.name(), "secret name '" + s.name() + "' is not a DNS-1123 label; " + dnsHint());
            }
        }
        Map<String, Integer> index = new HashMap<>(nodes.size() * 2);
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (index.putIfAbsent(n.name(), i) != null) {
                problem(n.name(), "node name '" + n.name() + "' is defined twice; rename one of them");
            }
        }
        Map<Integer, String> publishedPorts = new HashMap<>();
        int[][] deps = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            deps[i] = checkNode(nodes.get(i), nodes, index, poolsByName, secretNames, publishedPorts);
        }
        checkCycles(nodes, index, deps);
        problems.sort(java.util.Comparator.comparing(Problem::subject).thenComparing(Problem::message));
        return new Topology(java.util.Collections.unmodifiableMap(index), deps);
    }

    private static String dnsHint() {
        return "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit";
    }

    /** Checks one node; returns its dependencies' indices (only those that exist, once each, not itself). */
    private int[] checkNode(Node n, List<Node> nodes, Map<String, Integer> index, Map<String, Pool> pools,
                            Set<String> secrets, Map<Integer, String> publishedPorts) {
        String what = n.kind().label() + " '" + n.name() + "'";
        if (!DnsNames.isLabel(n.name())) {
            problem(n.name(), what + ": the name is not a DNS-1123 label, so it cannot work on Kubernetes; "
                    + dnsHint() + " (e.g. '" + suggestLabel(n.name()) + "')");
        }
        Container c = n.container();
        if (c.image().isBlank()) {
            problem(n.name(), what + " has no image; set one with .image(\"name:tag\")");
        }
        int[] deps = checkDependencies(n, what, nodes, index);
        n.pool().ifPresent(p -> {
            if (!pools.containsKey(p)) {
                problem(n.name(), what + " uses pool '" + p + "', which is not defined" + Names.didYouMean(p, pools.keySet())
                        + " (define it with .pool(\"" + p + "\", slots))");
            }
        });
        for (Port p : c.ports()) {
            if (p.container() < 1 || p.container() > 65535) {
                problem(n.name(), what + " has port " + p.container() + ", which is out of range; use 1..65535");
            }
            if (p.host() < 0 || p.host() > 65535) {
                problem(n.name(), what + " publishes host port " + p.host() + ", which is out of range; use 1..65535");
            } else if (p.isPublished()) {
                String other = publishedPorts.putIfAbsent(p.host(), n.name());
                if (other != null && !other.equals(n.name())) {
                    problem(n.name(), what + " publishes host port " + p.host() + ", which '" + other
                            + "' publishes too; pick another host port");
                }
            }
            if (!p.protocol().equals("tcp") && !p.protocol().equals("udp")) {
                problem(n.name(), what + " has port protocol '" + p.protocol() + "'; use tcp or udp");
            }
        }
        for (Mount m : c.mounts()) {
            if (!m.target().startsWith("/")) {
                problem(n.name(), what + " mounts at '" + m.target() + "', which is not an absolute path; start it with /");
            }
            if (m.type() == Mount.Type.VOLUME && !DnsNames.isLabel(m.source())) {
                problem(n.name(), what + " mounts volume '" + m.source() + "', whose name is not a DNS-1123 label; "
                        + dnsHint());
            }
            if (m.type() == Mount.Type.BIND && m.source().isBlank()) {
                problem(n.name(), what + " has a bind mount with no host path; give the host directory");
            }
        }
        for (SecretRef s : c.secrets()) {
            if (!secrets.contains(s.secret())) {
                problem(n.name(), what + " uses secret '" + s.secret() + "', which is not defined"
                        + Names.didYouMean(s.secret(), secrets) + " (define it with .secret(Secret.fromEnv(...)))");
            }
            // secretAsEnv(name, "") leaves both the path and the variable empty
            if (s.isEnvironment() || s.path().isEmpty()) {
                if (s.environment().isEmpty() || s.environment().contains("=") || s.environment().indexOf('\0') >= 0) {
                    problem(n.name(), what + " delivers secret '" + s.secret() + "' as environment variable '"
                            + s.environment() + "'; use a non-empty name without '='");
                }
            } else {
                secretPath(s.path()).ifPresent(p -> problem(n.name(), what + " delivers secret '" + s.secret()
                        + "' at '" + Cron.abbreviate(s.path()) + "', which " + p));
                // ids fit a tar header's 7 octal digits
                if (s.uid() < 0 || s.gid() < 0 || s.uid() > 2_097_151 || s.gid() > 2_097_151 || s.mode() < 0
                        || s.mode() > 0777) {
                    problem(n.name(), what + " delivers secret '" + s.secret() + "' with owner " + s.uid() + ":"
                            + s.gid() + " and mode " + Integer.toOctalString(s.mode()) + "; use ids in 0..2097151 and"
                            + " a mode in 0..0777, e.g. .owner(999, 999).mode(0440)");
                }
            }
        }
        for (String key : c.environment().keySet()) {
            if (key.isEmpty() || key.contains("=")) {
                problem(n.name(), what + " has environment variable name '" + key + "'; use a non-empty name without '='");
            }
        }
        if (c.stopGracePeriod().isNegative()) {
            problem(n.name(), what + " has a negative stop grace period; use zero or more");
        }
        notHuge(n, what, "stop grace period", c.stopGracePeriod());
        c.healthCheck().ifPresent(h -> checkHealth(n, what, h, "health check"));
        c.liveness().ifPresent(h -> checkHealth(n, what, h, "liveness check"));
        ContainerRules.check(n, what, this::problem);
        if (n instanceof Service s) {
            if (s.replicas() < 0 || s.replicas() > MAX_REPLICAS) {
                problem(n.name(), what + " has " + s.replicas() + " replicas; use 0 to " + MAX_REPLICAS);
            }
        } else if (n instanceof Job j) {
            if (j.backoffLimit() < 0) {
                problem(n.name(), what + " has " + j.backoffLimit() + " retries; use 0 or more");
            }
            j.activeDeadline().filter(d -> d.isNegative() || d.isZero()).ifPresent(d ->
                    problem(n.name(), what + " has active deadline " + d + "; use a positive duration"));
            j.activeDeadline().ifPresent(d -> notHuge(n, what, "active deadline", d));
            j.schedule().ifPresent(cron -> Cron.problem(cron).ifPresent(p ->
                    problem(n.name(), what + " has cron schedule '" + cron + "', which is invalid: " + p)));
        }
        return deps;
    }

    private void checkHealth(Node n, String what, HealthCheck h, String kind) {
        positive(n, what, kind + " interval", h.interval());
        positive(n, what, kind + " timeout", h.timeout());
        if (h.startPeriod().isNegative()) {
            problem(n.name(), what + " has a negative " + kind + " start period; use zero or more");
        }
        notHuge(n, what, kind + " interval", h.interval());
        notHuge(n, what, kind + " timeout", h.timeout());
        notHuge(n, what, kind + " start period", h.startPeriod());
        if (h.retries() < 1) {
            problem(n.name(), what + " has " + kind + " retries " + h.retries() + "; use 1 or more");
        }
        if (h.probe() instanceof HealthCheck.Http http) {
            port(n, what, kind, http.port());
            if (!http.path().startsWith("/")) {
                problem(n.name(), what + " has HTTP " + kind + " path '" + http.path() + "'; start it with /");
            }
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            port(n, what, kind, tcp.port());
        } else if (h.probe() instanceof HealthCheck.Command cmd && cmd.argv().isEmpty()) {
            problem(n.name(), what + " has a command " + kind + " with no command; give the argv to run");
        } else if (h.probe() instanceof HealthCheck.LogLine log) {
            try {
                Pattern.compile(log.regex());
            } catch (PatternSyntaxException e) {
                problem(n.name(), what + " has log-line " + kind + " '" + log.regex()
                        + "', which is not a valid regular expression: " + e.getDescription());
            }
        }
    }

    private void port(Node n, String what, String kind, int port) {
        if (port < 1 || port > 65535) {
            problem(n.name(), what + " has a " + kind + " on port " + port + ", which is out of range; use 1..65535");
        }
    }

    /**
     * The longest duration a deployment may hold: longer ones overflow the instants and millisecond counts they
     * are turned into at run time (Docker's and Kubernetes' fields are seconds in an int).
     */
    static final Duration LONGEST = Duration.ofDays(365L * 50);

    /** The most replicas of one service: each is a container (a pod) that the engine tracks one by one. */
    static final int MAX_REPLICAS = 1000;

    private void notHuge(Node n, String what, String field, Duration d) {
        if (d.compareTo(LONGEST) > 0) {
            problem(n.name(), what + " has " + field + " " + d + ", longer than 50 years; use a shorter duration");
        }
    }

    /** Why a secret file path cannot be delivered, if it cannot: it ends up as a tar entry in the container. */
    static java.util.Optional<String> secretPath(String path) {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            return java.util.Optional.of("is not an absolute file path; use e.g. /run/secrets/name");
        }
        if (path.indexOf('\0') >= 0 || java.util.Arrays.asList(path.split("/")).contains("..")) {
            return java.util.Optional.of("contains '..' or a NUL character; use a plain absolute path");
        }
        if (path.substring(1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            return java.util.Optional.of("is longer than 100 bytes; use a shorter path");
        }
        return java.util.Optional.empty();
    }

    private void positive(Node n, String what, String field, Duration d) {
        if (d.isNegative() || d.isZero()) {
            problem(n.name(), what + " has " + field + " " + d + "; use a positive duration");
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
            if (twice) {
                problem(n.name(), what + " depends on '" + d.target() + "' twice; keep one dependency");
                continue;
            }
            if (d.target().equals(n.name())) {
                problem(n.name(), what + " depends on itself; remove .dependsOn(\"" + n.name() + "\")");
                continue;
            }
            Integer t = index.get(d.target());
            if (t == null) {
                String suggestion = Names.didYouMean(d.target(), index.keySet());
                problem(n.name(), what + " depends on '" + d.target() + "', which is not defined" + (suggestion.isEmpty()
                        ? "; define it with .service(\"" + d.target() + "\", ...) or .job(\"" + d.target()
                                + "\", ...), or remove the dependency" : suggestion));
                continue;
            }
            out[count++] = t;
            Node target = nodes.get(t);
            String targetWhat = target.kind().label() + " '" + target.name() + "'";
            if (target instanceof Job j && j.isOnDemand() && !(n instanceof Job nj && nj.isOnDemand())) {
                problem(n.name(), what + " depends on " + targetWhat + ", which " + j.schedule().map(c -> "runs on"
                        + " schedule '" + c + "'").orElse("runs on demand") + " and is not part of the start-up order;"
                        + " remove the dependency, or make '" + n.name() + "' an on-demand job of the same pipeline");
            } else if (d.condition() == Condition.HEALTHY && target instanceof Job) {
                problem(n.name(), what + " waits for " + targetWhat + " to be HEALTHY, but jobs have no health; use"
                        + " COMPLETED_SUCCESSFULLY or STARTED");
            } else if (d.condition() == Condition.HEALTHY && !target.hasHealthCheck()) {
                problem(n.name(), what + " waits for " + targetWhat + " to be HEALTHY, but it has no health check;"
                        + " give '" + target.name() + "' a .healthCheck(...) or wait for STARTED");
            } else if (d.condition() == Condition.COMPLETED_SUCCESSFULLY && target instanceof Service) {
                problem(n.name(), what + " waits for " + targetWhat + " to COMPLETE_SUCCESSFULLY, but services run"
                        + " until stopped; use HEALTHY or STARTED, or make '" + target.name() + "' a job");
            }
        }
        return count == out.length ? out : java.util.Arrays.copyOf(out, count);
    }

    private void checkCycles(List<Node> nodes, Map<String, Integer> index, int[][] deps) {
        List<String> names = new java.util.AbstractList<>() {
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
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < cycle.size(); i++) {
                path.append(i == 0 ? "" : ", ").append(cycle.get(i)).append(" needs ")
                        .append(cycle.get((i + 1) % cycle.size()));
            }
            String first = cycle.get(0);
            problem(first, "dependency cycle " + String.join(" -> ", cycle) + " -> " + first + " (" + path
                    + "); remove one of these dependencies");
        }
    }

    private static String suggestLabel(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "node-1" : s.length() > 63 ? s.substring(0, 63).replaceAll("-+$", "") : s;
    }
}
