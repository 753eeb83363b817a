package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.cli.CliOptions.DeploymentOptions;
import dev.ordo.cli.CliOptions.SelectionOptions;
import dev.ordo.export.Export;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ordo plan}: the plan of the deployment, as text, Mermaid, DOT, JSON, Kubernetes manifests, a Kustomize
 * base or a Helm chart; nothing runs.
 *
 * <pre>{@code
 * ordo plan -f compose.yaml --format mermaid --profile web
 * ordo plan --example clp --format helm --output charts/clp
 * }</pre>
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Print the plan: waves and edges; or export"
        + " it for Kubernetes.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    DeploymentOptions deployment = new DeploymentOptions();

    @Mixin
    SelectionOptions selection = new SelectionOptions();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text, mermaid, dot, json, k8s, or (with --output DIR) kustomize or helm")
    String format;

    @Option(names = "--output", paramLabel = "DIR", description = "kustomize, helm: the directory to write into")
    Path output;

    @Mixin
    EngineOptions engines = new EngineOptions();

    @Option(names = "--leave-to-ordo", paramLabel = "TRIGGER", split = ",", description = "k8s: leave these"
            + " triggers out of the manifests, for Ordo's living handle to run; repeatable")
    List<String> leftToOrdo = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Deployment loaded = deployment.load(spec, selection.profiles, selection.targets);
        Plan plan = loaded.plan(selection.selection(deployment, loaded));
        if (format.equalsIgnoreCase("kustomize") || format.equalsIgnoreCase("helm")) {
            if (output == null) {
                throw new IllegalArgumentException("--format " + format + " writes a directory: give it with"
                        + " --output DIR");
            }
            List<Path> files = Backends.kubernetesLayout(plan, leftToOrdo, format.equalsIgnoreCase("helm"), output);
            files.forEach(f -> out.println("wrote " + f));
            out.flush();
            return 0;
        }
        boolean k8s = format.equalsIgnoreCase("k8s");
        if (k8s) {
            Backends.kubernetesWarnings(plan).forEach(w -> err.println("ordo: warning: " + w));
            err.flush();
        }
        String text;
        try {
            text = k8s ? Backends.kubernetesManifests(plan, leftToOrdo) : Export.render(plan, format(format));
        } catch (OrdoException e) {
            if (!k8s) {
                throw e;
            }
            throw new OrdoException(e.getMessage() + "\nwith the runner: plan --format k8s"
                    + " --leave-to-ordo TRIGGER[,TRIGGER...]", e);
        }
        out.print(text);
        if (engines.several() && format.equalsIgnoreCase("text")) {
            out.println("engines:");
            engines.layout(deployment.which(), plan.deployment(), plan.nodes().stream().map(Node::name).toList())
                    .forEach((n, e) -> out.printf(Locale.ROOT, "  %-30s %s%n", n, e));
        }
        out.flush();
        return 0;
    }

    /** The export format for {@code --format}; k8s is the runner's own, the rest are the core's. */
    private static Export.Format format(String name) {
        try {
            return Export.Format.parse(name);
        } catch (OrdoException e) {
            throw new IllegalArgumentException("--format: unknown plan format '" + name
                    + "'; use one of text, mermaid, dot, json, k8s", e);
        }
    }
}
