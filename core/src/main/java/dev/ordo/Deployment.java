package dev.ordo;

import dev.ordo.internal.Names;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A whole system: its nodes (services and jobs), pools and secrets. Immutable and validated as a whole; build one
 * with {@link #builder(String)}.
 *
 * <pre>{@code
 * Deployment clp = Deployment.builder("clp")
 *     .pool("compression", 2)
 *     .service("database", s -> s.image("mysql:8.0.23")
 *         .healthCheck(HealthCheck.command("mysqladmin", "ping").interval(Duration.ofSeconds(2)).retries(30))
 *         .volume("database-data", "/var/lib/mysql"))
 *     .job("db-table-creator", j -> j.image("clp-package:main")
 *         .command("python3", "-m", "clp_py_utils.create-db-tables")
 *         .dependsOn("database", Condition.HEALTHY))
 *     .build();
 * Plan plan = clp.plan();
 * }</pre>
 */
public final class Deployment {
    private final String name;
    private final List<Node> nodes;
    private final Topology topology;
    private final Map<String, Pool> pools;
    private final Map<String, Secret> secrets;
    private final Map<String, Trigger> triggers;
    private final Map<String, Volume> volumeDefinitions;
    private final Map<String, Network> networkDefinitions;

    private Deployment(String name, List<Node> nodes, Topology topology, Map<String, Pool> pools,
                       Map<String, Secret> secrets, Map<String, Trigger> triggers,
                       Map<String, Volume> volumeDefinitions, Map<String, Network> networkDefinitions) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.topology = topology;
        this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
        this.triggers = Collections.unmodifiableMap(new LinkedHashMap<>(triggers));
        this.volumeDefinitions = Collections.unmodifiableMap(new LinkedHashMap<>(volumeDefinitions));
        this.networkDefinitions = Collections.unmodifiableMap(new LinkedHashMap<>(networkDefinitions));
    }

    /**
     * Starts a deployment named {@code name}: letters, digits, '_', '.' and '-', starting with a letter or digit, at
     * most 63 characters. It prefixes every resource created.
     */
    public static Builder builder(String name) {
        return new Builder(Objects.requireNonNull(name, "name == null"));
    }

    /** The deployment's name. */
    public String name() {
        return name;
    }

    /** Every node, in declaration order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The validated node numbering, shared with every plan of this deployment. */
    Topology topology() {
        return topology;
    }

    /** The node called {@code name}, if defined. */
    public Optional<Node> node(String name) {
        Integer i = topology.index().get(name);
        return i == null ? Optional.empty() : Optional.of(nodes.get(i));
    }

    /**
     * The node called {@code name}.
     *
     * @throws OrdoException naming the closest defined node when there is none of that name
     */
    public Node requireNode(String name) {
        Node n = node(name).orElse(null);
        if (n == null) {
            throw new OrdoException("deployment '" + this.name + "' has no node '" + name + "'"
                    + Names.didYouMean(name, topology.index().keySet()));
        }
        return n;
    }

    /** The pools, by name. */
    public Map<String, Pool> pools() {
        return pools;
    }

    /**
     * The triggers, by name, in declaration order: those defined with {@link Builder#trigger}, then one named after
     * each job defined with {@code .schedule(cron)}.
     */
    public Map<String, Trigger> triggers() {
        return triggers;
    }

    /**
     * The trigger called {@code name}.
     *
     * @throws OrdoException naming the closest trigger when there is none of that name
     */
    public Trigger requireTrigger(String name) {
        Trigger t = triggers.get(name);
        if (t == null) {
            String hint = Names.didYouMean(name, triggers.keySet());
            throw new OrdoException("deployment '" + this.name + "' has no trigger '" + name + "'" + (hint.isEmpty()
                    ? (triggers.isEmpty() ? "; it defines none (add one with .trigger(...))"
                    : "; its triggers are " + triggers.keySet()) : hint));
        }
        return t;
    }

    /** The secrets, by name. */
    public Map<String, Secret> secrets() {
        return secrets;
    }

    /** The names of the named volumes the nodes mount, sorted. */
    public SortedSet<String> volumes() {
        SortedSet<String> volumes = new TreeSet<>();
        for (Node n : nodes) {
            for (Mount m : n.container().mounts()) {
                if (m.type() == Mount.Type.VOLUME) {
                    volumes.add(m.source());
                }
            }
        }
        return Collections.unmodifiableSortedSet(volumes);
    }

    /** The volumes declared with {@link Builder#volume(Volume)}, by name. */
    public Map<String, Volume> volumeDefinitions() {
        return volumeDefinitions;
    }

    /** How volume {@code name} is held: as declared, or the deployment's own volume when undeclared. */
    public Volume volume(String name) {
        Volume v = volumeDefinitions.get(name);
        return v == null ? Volume.of(name) : v;
    }

    /** The networks declared with {@link Builder#network(Network)}, by name. */
    public Map<String, Network> networkDefinitions() {
        return networkDefinitions;
    }

    /** Network {@code name}: as declared, or the deployment's own network when undeclared. */
    public Network network(String name) {
        Network n = networkDefinitions.get(name);
        return n == null ? Network.of(name) : n;
    }

    /** The names of the networks the nodes join, sorted ({@link Network#DEFAULT} when some node joins no other). */
    public SortedSet<String> networks() {
        SortedSet<String> out = new TreeSet<>();
        nodes.forEach(n -> out.addAll(n.container().networking().joined()));
        return Collections.unmodifiableSortedSet(out);
    }

    /** Every profile some node names, sorted. */
    public SortedSet<String> profiles() {
        SortedSet<String> profiles = new TreeSet<>();
        nodes.forEach(n -> profiles.addAll(n.profiles()));
        return Collections.unmodifiableSortedSet(profiles);
    }

    /** Plans the nodes enabled without profiles: {@code plan(Selection.defaults())}. */
    public Plan plan() {
        return plan(Selection.defaults());
    }

    /**
     * Plans the nodes that {@code selection} enables.
     *
     * @throws ValidationException when an enabled node requires a node the selection disables, or the selection
     *                             names an unknown node or profile
     */
    public Plan plan(Selection selection) {
        return Planner.plan(this, Objects.requireNonNull(selection, "selection == null"));
    }

    /**
     * The same deployment under another name, e.g. one instance per test run, so that runs on one engine never touch
     * each other's containers, networks and volumes (they are all named and labelled by the deployment).
     *
     * @throws ValidationException when {@code newName} is not a valid deployment name
     */
    public Deployment renamed(String newName) {
        return toBuilder(newName).build();
    }

    /** A builder holding this deployment's definitions, to derive a changed deployment. */
    public Builder toBuilder() {
        return toBuilder(name);
    }

    private Builder toBuilder(String newName) {
        Builder b = new Builder(newName);
        b.derived = true;
        b.nodes.addAll(nodes);
        b.pools.putAll(pools);
        b.poolDefinitions.addAll(pools.values());
        b.secrets.addAll(secrets.values());
        b.volumes.putAll(volumeDefinitions);
        b.networks.putAll(networkDefinitions);
        triggers.values().stream().filter(t -> !b.implied(t)).forEach(b.triggers::add);
        return b;
    }

    @Override
    public String toString() {
        return "Deployment[" + name + ", " + nodes.size() + " nodes, pools=" + pools.values() + ", secrets="
                + secrets.keySet() + "]";
    }

    /**
     * Collects a deployment's definitions; {@link #build()} validates them all at once.
     *
     * <pre>{@code
     * Deployment.builder("demo")
     *     .secret(Secret.fromEnv("db-password", "DB_PASS"))
     *     .service("db", s -> s.image("postgres:16").secret("db-password").healthCheck(HealthCheck.tcp(5432)))
     *     .job("migrate", j -> j.image("app:1").command("migrate").dependsOn("db", Condition.HEALTHY))
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final String name;
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Pool> pools = new LinkedHashMap<>();
        private final List<Pool> poolDefinitions = new ArrayList<>();
        private final List<Secret> secrets = new ArrayList<>();
        private final List<Trigger> triggers = new ArrayList<>();
        private final Map<String, Volume> volumes = new LinkedHashMap<>();
        private final Map<String, Network> networks = new LinkedHashMap<>();
        private boolean derived;

        private Builder(String name) {
            this.name = name;
        }

        /** Defines a pool of {@code slots} concurrent members (0 = drained). */
        public Builder pool(String name, int slots) {
            Pool pool = new Pool(Objects.requireNonNull(name, "name == null"), slots);
            if (derived) {
                poolDefinitions.removeIf(p -> p.name().equals(name));
            }
            poolDefinitions.add(pool);
            pools.put(name, pool);
            return this;
        }

        /** Defines a secret that nodes may use by name. */
        public Builder secret(Secret secret) {
            Objects.requireNonNull(secret, "secret == null");
            if (derived) {
                secrets.removeIf(s -> s.name().equals(secret.name()));
            }
            secrets.add(secret);
            return this;
        }

        /**
         * Declares how a named volume is held, e.g. {@code Volume.external("pgdata")}; nodes mount it by name.
         * A later declaration of the same name replaces an earlier one.
         */
        public Builder volume(Volume volume) {
            volumes.put(Objects.requireNonNull(volume, "volume == null").name(), volume);
            return this;
        }

        /**
         * Declares a network nodes may join, e.g. {@code Network.of("backend").asInternal()}, or changes the default
         * one ({@code Network.of(Network.DEFAULT).asInternal()}). A later declaration of the same name replaces an
         * earlier one.
         */
        public Builder network(Network network) {
            networks.put(Objects.requireNonNull(network, "network == null").name(), network);
            return this;
        }

        /**
         * Defines (or, from {@link Deployment#toBuilder()}, replaces) a trigger configured by {@code spec}: what runs
         * an on-demand job, when, and with which parameters.
         */
        public Builder trigger(String name, Consumer<TriggerBuilder> spec) {
            TriggerBuilder b = new TriggerBuilder(Objects.requireNonNull(name, "name == null"));
            Objects.requireNonNull(spec, "spec == null").accept(b);
            Trigger t = b.build();
            if (derived) {
                triggers.removeIf(x -> x.name().equals(name));
            }
            triggers.add(t);
            return this;
        }

        /** Whether {@code t} is the trigger a job's {@code .schedule(cron)} implies (rebuilt from the job). */
        private boolean implied(Trigger t) {
            return nodes.stream().anyMatch(n -> n instanceof Job j && j.name().equals(t.name())
                    && j.schedule().isPresent() && t.target().equals(j.name()));
        }

        /** Defines (or, from {@link Deployment#toBuilder()}, replaces) a service configured by {@code spec}. */
        public Builder service(String name, Consumer<ServiceBuilder> spec) {
            ServiceBuilder b = new ServiceBuilder(Objects.requireNonNull(name, "name == null"));
            Objects.requireNonNull(spec, "spec == null").accept(b);
            return add(b.build());
        }

        /** Defines (or, from {@link Deployment#toBuilder()}, replaces) a job configured by {@code spec}. */
        public Builder job(String name, Consumer<JobBuilder> spec) {
            JobBuilder b = new JobBuilder(Objects.requireNonNull(name, "name == null"));
            Objects.requireNonNull(spec, "spec == null").accept(b);
            return add(b.build());
        }

        /** Adds a node built elsewhere (e.g. taken from another deployment). */
        public Builder node(Node node) {
            return add(Objects.requireNonNull(node, "node == null"));
        }

        /** Removes the node called {@code name}, if defined; for deriving a smaller deployment. */
        public Builder without(String name) {
            nodes.removeIf(n -> n.name().equals(name));
            return this;
        }

        private Builder add(Node node) {
            // A derived builder replaces in place; in a fresh one a second definition of a name is kept so that
            // build() reports the duplicate instead of silently dropping one.
            if (derived && nodes.stream().anyMatch(n -> n.name().equals(node.name()))) {
                return replace(node);
            }
            nodes.add(node);
            return this;
        }

        /** Replaces the node of the same name in place, keeping its position in the declaration order. */
        public Builder replace(Node node) {
            Objects.requireNonNull(node, "node == null");
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).name().equals(node.name())) {
                    nodes.set(i, node);
                    return this;
                }
            }
            throw new OrdoException("deployment '" + name + "' has no node '" + node.name() + "' to replace"
                    + Names.didYouMean(node.name(), nodes.stream().map(Node::name).toList()));
        }

        /**
         * Validates every definition at once and returns the deployment.
         *
         * @throws ValidationException listing every problem, each naming the node at fault and the fix
         */
        public Deployment build() {
            Map<String, Secret> secretsByName = new LinkedHashMap<>();
            secrets.forEach(s -> secretsByName.putIfAbsent(s.name(), s));
            List<Trigger> all = new ArrayList<>(triggers);
            for (Node n : nodes) {
                // an invalid schedule is reported once, as the job's; no trigger is made of it
                if (n instanceof Job j && j.schedule().isPresent() && Cron.problem(j.schedule().get()).isEmpty()) {
                    all.add(new TriggerBuilder(j.name()).target(j.name()).cron(j.schedule().get()).build());
                }
            }
            Topology topology = Validator.validate(name, nodes, poolDefinitions, secrets, all, volumes, networks);
            Map<String, Trigger> byName = new LinkedHashMap<>();
            all.forEach(t -> byName.putIfAbsent(t.name(), t));
            return new Deployment(name, nodes, topology, pools, secretsByName, byName, volumes, networks);
        }
    }
}
