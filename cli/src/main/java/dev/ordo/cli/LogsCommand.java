package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.cli.CliOptions.BackendOptions;
import dev.ordo.cli.CliOptions.DeploymentOptions;
import dev.ordo.spi.Backend;
import dev.ordo.spi.NodeAccess;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ordo logs [NODE...]}: what the nodes' first replicas printed, each line prefixed with its node, as
 * {@code docker compose logs} shows it; every node of the deployment when none is named.
 *
 * <pre>{@code
 * ordo logs -f docker-compose.yml --backend docker db migrate
 * }</pre>
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print what the nodes printed (every node when none is named).")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions deployment = new DeploymentOptions();

    @Mixin
    BackendOptions backend = new BackendOptions();

    @Parameters(paramLabel = "NODE", arity = "0..*", description = "the nodes whose output to print")
    List<String> nodes = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = Printing.printer(spec);
        Deployment d = deployment.load(spec);
        nodes.forEach(n -> CliOptions.requireNode("NODE", n, d));
        List<String> which = nodes.isEmpty() ? d.nodes().stream().map(Node::name).toList() : nodes;
        int width = which.stream().mapToInt(String::length).max().orElse(0);
        int missing = 0;
        try (Backend b = backend.open(deployment.which(), d)) {
            for (String n : which) {
                List<String> lines;
                try {
                    lines = NodeAccess.of(b, n).logs(d, n);
                } catch (OrdoException notThere) {
                    if (!nodes.isEmpty()) {
                        spec.commandLine().getErr().println("ordo: " + notThere.getMessage());
                        missing++;
                    }
                    continue;
                }
                String prefix = String.format(Locale.ROOT, "%-" + width + "s | ", n);
                lines.forEach(l -> out.println(prefix + l));
            }
        }
        spec.commandLine().getErr().flush();
        return missing == 0 ? 0 : 1;
    }
}
