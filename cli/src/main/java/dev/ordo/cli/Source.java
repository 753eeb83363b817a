package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Selection;
import dev.ordo.docker.Placement;
import dev.ordo.docker.StandIns;
import dev.ordo.examples.Example;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the runner's deployment comes from: one of Ordo's examples ({@code --example}), or the user's own (a compose
 * file, a Java source file, a {@code --class}). The examples' specifics — their timings in virtual time, their
 * stand-ins, their placement, CLP's deployment types — are asked of the {@link Example} catalog here and nowhere
 * else; the user's deployment has none of them.
 *
 * <pre>{@code
 * Source s = Source.example(Example.CLP);
 * SimulatedBackend sim = s.simulated();   // CLP's real timings, in virtual time
 * Source.USER.standIns(deployment);       // default stand-ins
 * }</pre>
 */
final class Source {
    /** The user's own deployment: no scripted timings, default stand-ins, no placement, no deployment types. */
    static final Source USER = new Source(null);

    private final Example example;

    private Source(Example example) {
        this.example = example;
    }

    /** The example {@code e}. */
    static Source example(Example e) {
        return new Source(e);
    }

    /** The example, when it is one. */
    Optional<Example> asExample() {
        return Optional.ofNullable(example);
    }

    boolean isUser() {
        return example == null;
    }

    /** "the clp example" or "your deployment", for messages. */
    String describe() {
        return example == null ? "your deployment (-f, --class)" : "the " + example.cliName() + " example";
    }

    /** The deployment in virtual time: the example's with its real timings, yours with defaults. */
    SimulatedBackend simulated() {
        return example == null ? SimulatedBackend.create() : example.simulated();
    }

    /** Stand-ins for a rehearsal on a real engine. */
    StandIns standIns(Deployment deployment) {
        return example == null ? StandIns.defaults() : example.standIns(deployment);
    }

    /** Where the nodes run over several engines, when the example says. */
    Optional<Placement> placement() {
        return example == null ? Optional.empty() : example.placement();
    }

    /** The deployment types ({@code --type}) there are: CLP's; none for the others and yours. */
    List<String> types() {
        return example == null ? List.of() : example.types();
    }

    /** The selection of deployment type {@code name}, or bad usage saying there are none here. */
    Selection type(String name) {
        if (types().isEmpty()) {
            throw new IllegalArgumentException("--type chooses a CLP deployment type; " + (example == null
                    ? "your deployment (-f, --class) has none: activate profiles with --profile"
                    : "the " + example.cliName() + " example has none (leave --type out)"));
        }
        return example.type(name);
    }

    /** The example's readiness estimates (the critical path's weights); none for yours. */
    Map<String, Duration> readinessEstimates() {
        return example == null ? Map.of() : example.readinessEstimates();
    }

    /** The example's deployment, rehearsing its schedules at {@code every} when given. */
    LoadedDeployment load(Optional<Duration> every) {
        if (example == null) {
            throw new IllegalStateException("your deployment is loaded from -f or --class, not from the catalog");
        }
        Example.Loaded l = example.load(every);
        return new LoadedDeployment(l.deployment(), l.warnings());
    }

    @Override
    public String toString() {
        return example == null ? "user" : example.cliName();
    }
}
