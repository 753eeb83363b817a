package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.Selection;
import dev.ordo.docker.Placement;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog of Ordo's example systems, by name: {@code clp}, {@code orchestration-layer}, {@code manticore}
 * (which reads its schedules from {@code BACKUP_SCHEDULES}, or uses {@link ManticoreBackups#EXAMPLE_SCHEDULES} when
 * that is unset) and {@code alphakraken}. It is the one door through which the {@code ordo} runner (module
 * {@code ordo-cli}) reaches the examples: each one's deployment, its timings in virtual time, its stand-ins for a
 * rehearsal on a real engine, its placement over several engines and, for CLP, its deployment types.
 *
 * <pre>{@code
 * Example.Loaded l = Example.parse("manticore").load(Optional.empty());
 * l.warnings().forEach(System.err::println);
 * Selection base = Example.CLP.type("base");
 * }</pre>
 */
public enum Example {
    /** The CLP package: start-up only. */
    CLP,
    /** The HDFS/Spark orchestration layer: services plus the initial and daily pipelines. */
    ORCHESTRATION_LAYER,
    /** The Manticore orchestrator's scheduled and manual backups. */
    MANTICORE,
    /** AlphaKraken: databases, Airflow, workers and the webapp, by profile; three machines or one. */
    ALPHAKRAKEN;

    /**
     * Stand-ins take a tenth of {@link Clp#READINESS}: the rehearsal keeps the real system's shape (the database is
     * still the slowest) without making the user wait twelve seconds for a stand-in database.
     */
    private static final long STAND_IN_SCALE = 10;

    /**
     * A loaded example.
     *
     * @param deployment the deployment
     * @param warnings   what was skipped while loading it (e.g. an invalid schedule entry), one line each
     */
    public record Loaded(Deployment deployment, List<String> warnings) {
        /** Compact constructor: copies the warnings. */
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    /** The example's name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The deployment; with {@code every}, its scheduled triggers fire at that interval instead (a rehearsal).
     */
    public Loaded load(Optional<Duration> every) {
        return switch (this) {
            case CLP -> new Loaded(Clp.deployment(), List.of());
            case ORCHESTRATION_LAYER -> new Loaded(OrchestrationLayer.deployment(every), List.of());
            case MANTICORE -> {
                String env = System.getenv("BACKUP_SCHEDULES");
                ManticoreBackups.Schedules s = ManticoreBackups.Schedules.parse(
                        env == null ? ManticoreBackups.EXAMPLE_SCHEDULES : env);
                yield new Loaded(ManticoreBackups.deployment(s, every), s.problems());
            }
            case ALPHAKRAKEN -> new Loaded(AlphaKraken.deployment(), List.of());
        };
    }

    /** The example in virtual time, with its real timings. */
    public SimulatedBackend simulated() {
        return switch (this) {
            case CLP -> Clp.simulated();
            case ORCHESTRATION_LAYER -> OrchestrationLayer.simulated();
            case MANTICORE -> ManticoreBackups.simulated();
            case ALPHAKRAKEN -> AlphaKraken.simulated();
        };
    }

    /** Stand-ins for a rehearsal of the example on a real engine: the nodes of {@code deployment} it loaded. */
    public StandIns standIns(Deployment deployment) {
        return switch (this) {
            case CLP -> clpStandIns(deployment);
            case ORCHESTRATION_LAYER -> OrchestrationLayer.standIns()
                    .printsVariables("ingestion", "MODE", "EVENT_DATE")
                    .printsVariables("processing", "MODE", "PROCESSING_WINDOW_DAYS");
            case MANTICORE -> ManticoreBackups.standIns(Duration.ofSeconds(2)).printsVariables("backup", "DATASET",
                    "TYPE");
            case ALPHAKRAKEN -> AlphaKraken.standIns();
        };
    }

    /** CLP's stand-ins: its real readiness timings, scaled down. */
    private static StandIns clpStandIns(Deployment deployment) {
        StandIns s = StandIns.defaults();
        for (Map.Entry<String, Duration> e : Clp.READINESS.entrySet()) {
            if (deployment.node(e.getKey()).isEmpty()) {
                continue;
            }
            Duration scaled = e.getValue().dividedBy(STAND_IN_SCALE);
            s = e.getKey().endsWith("-creator") ? s.runFor(e.getKey(), scaled) : s.readyAfter(e.getKey(), scaled);
        }
        return s;
    }

    /** Where the example's nodes run over several Docker engines, when it says (AlphaKraken's three machines). */
    public Optional<Placement> placement() {
        return this == ALPHAKRAKEN ? Optional.of(AlphaKraken.placement()) : Optional.empty();
    }

    /** The example's deployment types by name ({@code base}, {@code full}, ... for CLP); none for the others. */
    public List<String> types() {
        return this == CLP ? Arrays.stream(Clp.Type.values()).map(Clp.Type::toString).toList() : List.of();
    }

    /**
     * The selection of deployment type {@code name}, without CLP's optional MCP server (activate profile
     * {@code mcp} for it).
     *
     * @throws IllegalArgumentException naming the types there are, or saying this example has none
     */
    public Selection type(String name) {
        if (this != CLP) {
            throw new IllegalArgumentException("the " + cliName() + " example has no deployment types (leave --type"
                    + " out)");
        }
        return Clp.Type.parse(name).selection(false);
    }

    /** How long each node takes to get ready, as far as the example knows (CLP's); the critical path's weights. */
    public Map<String, Duration> readinessEstimates() {
        return this == CLP ? Clp.READINESS : Map.of();
    }

    /**
     * The example called {@code name}.
     *
     * @throws IllegalArgumentException naming the examples when there is none of that name
     */
    public static Example parse(String name) {
        for (Example e : values()) {
            if (e.cliName().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown example '" + name + "'; the examples are " + String.join(", ",
                Arrays.stream(values()).map(Example::cliName).toList()));
    }
}
