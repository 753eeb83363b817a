package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.docker.DockerBackend;
import dev.ordo.Selection;
import dev.ordo.spi.Backend;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The runner's options shared by its commands: which example, which part of it, which backend.
 *
 * <pre>{@code
 * CliOptions.ExampleOptions example = new CliOptions.ExampleOptions();   // a picocli mixin of a command
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
        List<String> names = deployment.nodes().stream().map(dev.ordo.Node::name).toList();
        throw new IllegalArgumentException(option + " '" + node + "': deployment '" + deployment.name()
                + "' has no node of that name" + dev.ordo.spi.support.Suggestions.didYouMean(node, names)
                + " (nodes: " + String.join(", ", names) + ")");
    }

    /** Which example to work on. */
    static final class ExampleOptions {
        @Option(names = "--example",
                description = "clp (default), orchestration-layer, manticore or alphakraken")
        String example;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "your deployment: compose files (repeat"
                + " -f to merge several, as docker compose does; without -f a compose.yaml here or above is used), or"
                + " a Java source file whose class implements dev.ordo.DeploymentProvider")
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();

        @Option(names = {"-p", "--project-name"}, paramLabel = "NAME", description = "compose: the project's name"
                + " (default: COMPOSE_PROJECT_NAME, the file's name:, the directory's name)")
        String projectName;

        @Option(names = "--env-file", paramLabel = "FILE", description = "compose: read variables from this file"
                + " instead of .env; repeatable")
        java.util.List<java.nio.file.Path> envFiles = new java.util.ArrayList<>();

        @Option(names = "--project-directory", paramLabel = "DIR", description = "compose: the project directory"
                + " (default: the first file's)")
        java.nio.file.Path projectDirectory;

        /** Set when a compose project was loaded: what its active profiles select. */
        Selection composeSelection;

        @Option(names = "--class", paramLabel = "NAME", description = "your deployment: a class implementing"
                + " dev.ordo.DeploymentProvider, on --classpath")
        String className;

        @Option(names = "--classpath", paramLabel = "PATH", split = "${sys:path.separator}",
                description = "jars and directories holding --class")
        java.util.List<java.nio.file.Path> classpath = new java.util.ArrayList<>();

        @Option(names = "--every", description = "rehearse the schedules: each cron trigger fires at this interval"
                + " instead (e.g. 5s, 1m)")
        String every;

        Example which() {
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
                return Example.USER;
            }
            if (example == null && UserDeployment.composeHere(projectDirectory)) {
                return Example.USER; // as docker compose: a compose.yaml here (or COMPOSE_FILE) is the project
            }
            return Example.parse(example == null ? "clp" : example);
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
            Example which = which();
            if (which == Example.USER && every != null) {
                throw new IllegalArgumentException("--every rehearses the examples' schedules; with -f or --class,"
                        + " leave it out");
            }
            Example.Loaded l;
            if (which != Example.USER) {
                l = which.load(Optional.ofNullable(every).map(t -> positive("--every", t)));
            } else if (className != null) {
                l = new Example.Loaded(UserDeployment.fromClass(className, classpath), java.util.List.of());
            } else if (files.size() == 1 && !UserDeployment.isCompose(files.get(0))) {
                l = UserDeployment.fromFile(files.get(0));
            } else {
                UserDeployment.Compose c = new UserDeployment.Compose(files, projectName, envFiles, projectDirectory);
                dev.ordo.compose.ComposeImport imported = c.load(profiles, targets);
                composeSelection = imported.selection();
                if (files.isEmpty()) {
                    spec.commandLine().getErr().println("ordo: using " + String.join(", ", imported.files().stream()
                            .map(f -> f.getFileName().toString()).toList()));
                }
                l = new Example.Loaded(imported.deployment(), imported.warnings());
            }
            l.warnings().forEach(w -> spec.commandLine().getErr().println("ordo: warning: " + w));
            spec.commandLine().getErr().flush();
            return l.deployment();
        }

        /** A duration like {@code 90s}, {@code 5m}, {@code 2h}, {@code 3d} or ISO-8601 {@code PT5S}. */
        static Duration duration(String text) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h|d)").matcher(text.strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(text.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms, 5s, 10m, 2h, 3d"
                        + " or PT5S");
            }
        }

        /** The positive duration option {@code option} gives, or bad usage naming the option. */
        static Duration positive(String option, String text) {
            Duration d;
            try {
                d = duration(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(option + " '" + text + "' must be positive, e.g. 90s or 5m");
            }
            return d;
        }
    }

    /** Which part of the deployment to work on. */
    static final class SelectionOptions {
        @Option(names = "--type", description = "CLP deployment type: base, full, spider-base, spider-full;"
                + " default: every profile (all 18 nodes)")
        String type;

        @Option(names = "--profile", description = "activate a profile (celery, spider, native-query, mcp);"
                + " repeatable")
        List<String> profiles = new ArrayList<>();

        @Option(names = "--target", description = "bring up only this node and what it needs; repeatable")
        List<String> targets = new ArrayList<>();

        /** The selection, its targets checked against {@code deployment}'s nodes. */
        Selection selection(Example example, Deployment deployment) {
            targets.forEach(t -> requireNode("--target", t, deployment));
            return selection(example);
        }

        /**
         * The selection for what {@code loaded} loaded: a compose project's is its active profiles (it holds only
         * the services they enable), with the targets; any other's as {@link #selection(Example, Deployment)}.
         */
        Selection selection(ExampleOptions loaded, Deployment deployment) {
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

        Selection selection(Example example) {
            if (type != null && example != Example.CLP) {
                throw new IllegalArgumentException("--type chooses a CLP deployment type; " + (example == Example.USER
                        ? "your deployment (-f, --class) has none: activate profiles with --profile"
                        : "the " + example.cliName() + " example has none (leave --type out)"));
            }
            // Your own deployment starts as docker compose up does: nodes with profiles only when asked for.
            Selection s = type != null ? Clp.Type.parse(type).selection(false)
                    : profiles.isEmpty() && example != Example.USER ? Selection.allProfiles() : Selection.defaults();
            s = s.withProfiles(profiles.toArray(String[]::new));
            return targets.isEmpty() ? s : s.withTargets(targets.toArray(String[]::new));
        }
    }

    /** Which backend to run on. */
    static final class BackendOptions {
        @Option(names = "--backend", defaultValue = "simulated",
                description = "simulated (default; virtual time), docker, or kubernetes (current kube context)")
        String backend;

        @Option(names = "--stand-ins", description = "docker: replace every image with a local stand-in that"
                + " emulates the node's start-up (rehearsal; no image is pulled)")
        boolean standIns;

        @Option(names = "--fail", description = "simulated or docker --stand-ins: make this node fail (a job exits"
                + " 1, a service never gets healthy); repeatable")
        List<String> fail = new ArrayList<>();

        @picocli.CommandLine.Mixin
        EngineOptions engines = new EngineOptions();

        @Option(names = "--timeout", paramLabel = "DURATION", description = "per node: how long from its start request"
                + " until it must be ready (e.g. 90s, 5m; default 10m)")
        String timeout;

        /** The per-node timeout given with --timeout, if any. */
        Optional<Duration> timeout() {
            return Optional.ofNullable(timeout).map(t -> ExampleOptions.positive("--timeout", t));
        }

        /** {@code orchestrator} with the --timeout given, if any. */
        dev.ordo.run.Orchestrator configure(dev.ordo.run.Orchestrator orchestrator) {
            return timeout().map(orchestrator::timeout).orElse(orchestrator);
        }

        Backend open(Example example, Deployment deployment) {
            fail.forEach(n -> requireNode("--fail", n, deployment));
            return switch (backend.toLowerCase(Locale.ROOT)) {
                case "simulated", "sim" -> {
                    SimulatedBackend sim = example.simulated();
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
                    yield Backends.docker(example, deployment, standIns, fail,
                            engines.several() ? engines.backend(example, deployment) : DockerBackend.local());
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
