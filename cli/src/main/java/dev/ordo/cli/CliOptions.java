package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Durations;
import dev.ordo.Job;
import dev.ordo.Node;
import dev.ordo.Selection;
import dev.ordo.compose.ComposeImport;
import dev.ordo.docker.DockerBackend;
import dev.ordo.examples.Example;
import dev.ordo.run.Orchestrator;
import dev.ordo.spi.Backend;
import dev.ordo.spi.support.Suggestions;
import dev.ordo.testing.SimulatedBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The runner's options shared by its commands: which deployment (yours or an example), which part of it, which
 * backend.
 *
 * <pre>{@code
 * CliOptions.DeploymentOptions deployment = new CliOptions.DeploymentOptions();   // a picocli mixin of a command
 * }</pre>
 */
final class CliOptions {
    private CliOptions() {
    }

    /**
     * Fails as bad usage unless {@code deployment} has node {@code node}, naming the option, the closest node and
     * the nodes there are.
     */
    static void requireNode(String option, String node, Deployment deployment) {
        if (deployment.node(node).isPresent()) {
            return;
        }
        List<String> names = deployment.nodes().stream().map(Node::name).toList();
        throw new IllegalArgumentException(option + " '" + node + "': deployment '" + deployment.name()
                + "' has no node of that name" + Suggestions.didYouMean(node, names)
                + " (nodes: " + String.join(", ", names) + ")");
    }

    /** The names {@code --example} takes, for its help and shell completion. */
    static final class ExampleNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Example.values()).map(Example::cliName).iterator();
        }
    }

    /** Which deployment to work on: yours (-f, --class, a compose.yaml here) or one of Ordo's examples. */
    static final class DeploymentOptions {
        @Option(names = "--example", paramLabel = "NAME", completionCandidates = ExampleNames.class,
                description = "one of Ordo's example systems: ${COMPLETION-CANDIDATES}; clp when neither -f, --class"
                        + " nor a compose.yaml here gives a deployment")
        String example;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "your deployment: compose files (repeat"
                + " -f to merge several, as docker compose does; without -f a compose.yaml here or above is used), or"
                + " a Java source file whose class implements dev.ordo.DeploymentProvider")
        List<Path> files = new ArrayList<>();

        @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "compose: the project's name"
                + " (default: COMPOSE_PROJECT_NAME, the file's name:, the directory's name)")
        String projectName;

        @Option(names = "--env-file", paramLabel = "FILE", description = "compose: read variables from this file"
                + " instead of .env; repeatable")
        List<Path> envFiles = new ArrayList<>();

        @Option(names = "--project-directory", paramLabel = "DIR", description = "compose: the project directory"
                + " (default: the first file's)")
        Path projectDirectory;

        /** Set when a compose project was loaded: what its active profiles select. */
        Selection composeSelection;

        @Option(names = "--class", paramLabel = "NAME", description = "your deployment: a class implementing"
                + " dev.ordo.DeploymentProvider, on --classpath")
        String className;

        @Option(names = "--classpath", paramLabel = "PATH", split = "${sys:path.separator}",
                description = "jars and directories holding --class")
        List<Path> classpath = new ArrayList<>();

        @Option(names = "--every", paramLabel = "DURATION", description = "examples: rehearse the schedules, each cron"
                + " trigger firing at this interval instead (e.g. 5s, 1m30s)")
        String every;

        /** Where the deployment comes from; bad usage when the options contradict each other. */
        Source which() {
            int given = (example != null ? 1 : 0) + (!files.isEmpty() ? 1 : 0) + (className != null ? 1 : 0);
            if (given > 1) {
                throw new IllegalArgumentException("give one of --example, -f/--file and --class, not " + given);
            }
            if (!classpath.isEmpty() && className == null) {
                throw new IllegalArgumentException("--classpath goes with --class NAME (the class to load from it)");
            }
            if ((projectName != null || !envFiles.isEmpty() || projectDirectory != null) && given > 0
                    && files.stream().noneMatch(UserDeployment::isCompose)) {
                throw new IllegalArgumentException("-p, --env-file and --project-directory are for compose files"
                        + " (-f compose.yaml)");
            }
            if (!files.isEmpty() || className != null) {
                return Source.USER;
            }
            if (example == null && UserDeployment.composeHere(projectDirectory)) {
                return Source.USER; // as docker compose: a compose.yaml here (or COMPOSE_FILE) is the project
            }
            try {
                return Source.example(Example.parse(example == null ? "clp" : example));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--example: " + e.getMessage() + "; or give your own deployment"
                        + " with -f FILE or --class NAME", e);
            }
        }

        /** The example's deployment; what loading it skipped goes to {@code spec}'s error output. */
        Deployment load(CommandLine.Model.CommandSpec spec) {
            return load(spec, List.of(), List.of());
        }

        /**
         * The deployment, a compose project's with {@code profiles} active (none given: its
         * {@code COMPOSE_PROFILES}), and the profiles of {@code targets} too, as Compose enables a targeted service's.
         */
        Deployment load(CommandLine.Model.CommandSpec spec, List<String> profiles, List<String> targets) {
            Source which = which();
            if (which.isUser() && every != null) {
                throw new IllegalArgumentException("--every rehearses the examples' schedules; with -f or --class,"
                        + " leave it out");
            }
            LoadedDeployment l;
            if (!which.isUser()) {
                l = which.load(Optional.ofNullable(every).map(t -> positive("--every", t)));
            } else if (className != null) {
                l = new LoadedDeployment(UserDeployment.fromClass(className, classpath), List.of());
            } else if (files.size() == 1 && !UserDeployment.isCompose(files.get(0))) {
                l = UserDeployment.fromFile(files.get(0));
            } else {
                ComposeImport imported = compose().load(profiles, targets);
                composeSelection = imported.selection();
                if (files.isEmpty()) {
                    spec.commandLine().getErr().println("ordo: using " + String.join(", ", imported.files().stream()
                            .map(f -> f.getFileName().toString()).toList()));
                }
                l = new LoadedDeployment(imported.deployment(), imported.warnings());
            }
            l.warnings().forEach(w -> spec.commandLine().getErr().println("ordo: warning: " + w));
            spec.commandLine().getErr().flush();
            return l.deployment();
        }

        /** The compose project the options give: the -f files (none: found as Compose finds them), -p and so on. */
        UserDeployment.Compose compose() {
            return new UserDeployment.Compose(files, projectName, envFiles, projectDirectory);
        }

        /** The positive duration option {@code option} gives, or bad usage naming the option. */
        static Duration positive(String option, String text) {
            Duration d = duration(option, text);
            if (d.isZero()) {
                throw new IllegalArgumentException(option + " '" + text + "' must be positive, e.g. 90s or 1m30s");
            }
            return d;
        }

        /** The duration option {@code option} gives (zero allowed), in {@link Durations}' grammar. */
        static Duration duration(String option, String text) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
    }

    /** Which part of the deployment to work on. */
    static final class SelectionOptions {
        @Option(names = "--type", paramLabel = "TYPE", description = "--example clp only: its deployment type, base,"
                + " full, spider-base or spider-full (default: every profile)")
        String type;

        @Option(names = "--profile", paramLabel = "PROFILE", description = "activate a profile of the deployment"
                + " (they are listed under Profiles below); repeatable")
        List<String> profiles = new ArrayList<>();

        @Option(names = "--target", paramLabel = "NODE",
                description = "bring up only this node and what it needs; repeatable")
        List<String> targets = new ArrayList<>();

        /** The selection, its targets checked against {@code deployment}'s nodes. */
        Selection selection(Source source, Deployment deployment) {
            targets.forEach(t -> requireNode("--target", t, deployment));
            return selection(source);
        }

        /**
         * The selection for what {@code loaded} loaded: a compose project's is its active profiles (it holds only
         * the services they enable), with the targets; any other's as {@link #selection(Source, Deployment)}.
         */
        Selection selection(DeploymentOptions loaded, Deployment deployment) {
            if (loaded.composeSelection == null) {
                return selection(loaded.which(), deployment);
            }
            if (type != null) {
                throw new IllegalArgumentException("--type chooses a CLP deployment type; a compose project has none:"
                        + " activate profiles with --profile");
            }
            targets.forEach(t -> requireNode("--target", t, deployment));
            Selection s = loaded.composeSelection;
            return targets.isEmpty() ? s : s.withTargets(targets.toArray(String[]::new));
        }

        Selection selection(Source source) {
            // Your own deployment starts as docker compose up does: nodes with profiles only when asked for.
            Selection s = type != null ? source.type(type)
                    : profiles.isEmpty() && !source.isUser() ? Selection.allProfiles() : Selection.defaults();
            s = s.withProfiles(profiles.toArray(String[]::new));
            return targets.isEmpty() ? s : s.withTargets(targets.toArray(String[]::new));
        }
    }

    /** Which backend to run on. */
    static final class BackendOptions {
        @Option(names = "--backend", defaultValue = "simulated", paramLabel = "BACKEND",
                description = "simulated (default; virtual time), docker, or kubernetes (current kube context)")
        String backend;

        @Option(names = "--stand-ins", description = "docker: replace every image with a local stand-in that"
                + " emulates the node's start-up (rehearsal; no image is pulled)")
        boolean standIns;

        @Option(names = "--fail", paramLabel = "NODE", description = "simulated or docker --stand-ins: make this node"
                + " fail (a job exits"
                + " 1, a service never gets healthy); repeatable")
        List<String> fail = new ArrayList<>();

        @Mixin
        EngineOptions engines = new EngineOptions();

        @Option(names = "--timeout", paramLabel = "DURATION", description = "per node: how long from its start request"
                + " until it must be ready (e.g. 90s, 1m30s; default 10m)")
        String timeout;

        /** The per-node timeout given with --timeout, if any. */
        Optional<Duration> timeout() {
            return Optional.ofNullable(timeout).map(t -> DeploymentOptions.positive("--timeout", t));
        }

        /** {@code orchestrator} with the --timeout given, if any. */
        Orchestrator configure(Orchestrator orchestrator) {
            return timeout().map(orchestrator::timeout).orElse(orchestrator);
        }

        Backend open(Source source, Deployment deployment) {
            fail.forEach(n -> requireNode("--fail", n, deployment));
            return switch (backend.toLowerCase(Locale.ROOT)) {
                case "simulated", "sim" -> {
                    SimulatedBackend sim = source.simulated();
                    for (String n : fail) {
                        if (deployment.requireNode(n) instanceof Job) {
                            sim.exitsAfter(n, Duration.ofSeconds(2), 1).logs(n, "ERROR: simulated failure of " + n);
                        } else {
                            sim.neverHealthy(n);
                        }
                    }
                    yield sim;
                }
                case "docker" -> {
                    if (!fail.isEmpty() && !standIns) {
                        throw new IllegalArgumentException("--fail scripts a failure, which only a rehearsal can do;"
                                + " add --stand-ins or use --backend simulated");
                    }
                    fail.forEach(deployment::requireNode);
                    yield Backends.docker(source, deployment, standIns, fail,
                            engines.several() ? engines.backend(source, deployment) : DockerBackend.local());
                }
                case "kubernetes", "k8s" -> {
                    if (engines.several()) {
                        throw new IllegalArgumentException("--docker-host and --place are for --backend docker");
                    }
                    if (!fail.isEmpty()) {
                        throw new IllegalArgumentException("--fail scripts a failure, which only a rehearsal can do;"
                                + " use --backend simulated or --backend docker --stand-ins");
                    }
                    yield Backends.kubernetes();
                }
                default -> throw new IllegalArgumentException("unknown backend '" + backend
                        + "'; use simulated, docker or kubernetes");
            };
        }
    }
}
