package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.docker.StandIns;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The examples the runner knows, by name: {@code clp} (the default), {@code orchestration-layer},
 * {@code manticore} (which reads its schedules from {@code BACKUP_SCHEDULES}, or uses
 * {@link ManticoreBackups#EXAMPLE_SCHEDULES} when that is unset) and {@code alphakraken}.
 *
 * <pre>{@code
 * Example.Loaded l = Example.parse("manticore").load(Optional.empty());
 * l.warnings().forEach(System.err::println);
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
    ALPHAKRAKEN,
    /** The user's own deployment (the runner's {@code -f} or {@code --class}): no scripts, default stand-ins. */
    USER;

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
            case USER -> throw new IllegalStateException("the user's deployment is loaded by the runner (-f, --class)");
        };
    }

    /** The example in virtual time, with its real timings. */
    public SimulatedBackend simulated() {
        return switch (this) {
            case CLP -> Clp.simulated();
            case ORCHESTRATION_LAYER -> OrchestrationLayer.simulated();
            case MANTICORE -> ManticoreBackups.simulated();
            case ALPHAKRAKEN -> AlphaKraken.simulated();
            case USER -> SimulatedBackend.create();
        };
    }

    /** Stand-ins for a rehearsal of the example on a real engine. */
    StandIns standIns(Deployment deployment) {
        return switch (this) {
            case CLP -> Backends.clpStandIns(deployment);
            case ORCHESTRATION_LAYER -> OrchestrationLayer.standIns()
                    .printsVariables("ingestion", "MODE", "EVENT_DATE")
                    .printsVariables("processing", "MODE", "PROCESSING_WINDOW_DAYS");
            case MANTICORE -> ManticoreBackups.standIns(Duration.ofSeconds(2)).printsVariables("backup", "DATASET",
                    "TYPE");
            case ALPHAKRAKEN -> AlphaKraken.standIns();
            case USER -> StandIns.defaults();
        };
    }

    /** Where the example's nodes run over several Docker engines, when it says (AlphaKraken's three machines). */
    Optional<dev.ordo.docker.Placement> placement() {
        return this == ALPHAKRAKEN ? Optional.of(AlphaKraken.placement()) : Optional.empty();
    }

    /**
     * The example called {@code name}.
     *
     * @throws IllegalArgumentException naming the examples when there is none of that name
     */
    public static Example parse(String name) {
        for (Example e : values()) {
            if (e != USER && e.cliName().equalsIgnoreCase(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("--example: unknown example '" + name
                + "'; use " + String.join(", ", java.util.Arrays.stream(values()).filter(e -> e != USER)
                .map(Example::cliName).toList()) + ", or your own with -f FILE or --class NAME");
    }
}
