package dev.ordo.cli;

import dev.ordo.OrdoException;
import dev.ordo.ValidationException;
import dev.ordo.compose.ComposeException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code ordo} command-line runner: brings a multi-container system — your compose file, your Java
 * {@link dev.ordo.DeploymentProvider}, or one of Ordo's example systems — up and down in dependency order on the
 * simulated backend, Docker or Kubernetes, and keeps it living.
 *
 * <pre>{@code
 * java -jar cli/target/ordo.jar up -f compose.yaml --backend docker
 * java -jar cli/target/ordo.jar plan --example clp --format mermaid --type full
 * java -jar cli/target/ordo.jar demo
 * }</pre>
 */
@Command(name = "ordo", mixinStandardHelpOptions = true, version = "ordo 0.1.0",
        description = {"Brings a multi-container system up and down in dependency order, and keeps it living:"
                + " your compose file (-f compose.yaml, or a compose.yaml here), your Java DeploymentProvider"
                + " (-f Shop.java, --class), or one of Ordo's example systems (--example).",
                "Backends: simulated (the default; virtual time), docker, kubernetes."},
        subcommands = {PlanCommand.class, RunCommands.Up.class, RunCommands.Down.class, RunCommands.Status.class,
                LogsCommand.class, DemoCommand.class, LivingCommands.Supervise.class, LivingCommands.Trigger.class,
                LivingCommands.History.class},
        footer = {"", "Run 'ordo COMMAND --help' for a command's options; with -f FILE (or --example NAME) it lists"
                + " that deployment's profiles."})
public final class OrdoCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Runs the command line; exits with 0 on success, 1 when a run or the backend failed, 2 on bad usage. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new OrdoCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        HelpSections.install(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof ValidationException
                    || e instanceof ComposeException) {
                // bad input (an option, a selection, a compose file): the message names it and the fix
                cmd.getErr().println("ordo: " + e.getMessage());
                return cmd.getCommandSpec().exitCodeOnInvalidInput();
            }
            if (e instanceof OrdoException) {
                cmd.getErr().println("ordo: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
