package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.cli.CliOptions.DeploymentOptions;
import dev.ordo.compose.ComposeImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The runner's own help sections: every command's exit status, and, for the commands that take {@code --profile},
 * the profiles of the deployment actually given — a compose file's own profiles with {@code -f compose.yaml}, an
 * example's with {@code --example}, CLP's only for CLP. Picocli renders the help after it parsed the command line,
 * so the options before or after {@code --help} say which deployment that is.
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine(new OrdoCli());
 * HelpSections.install(cli);   // ordo up -f compose.yaml --help  lists compose.yaml's profiles
 * }</pre>
 */
final class HelpSections {
    private static final String PROFILES = "profiles";
    private static final String YOURS = "without --profile only the nodes without%n  profiles start, as in Compose";
    private static final Map<String, String> EXIT_CODES = new LinkedHashMap<>();

    static {
        EXIT_CODES.put("0", "success");
        EXIT_CODES.put("1", "a run failed (a node, a trigger's run, the backend); the output says which and why");
        EXIT_CODES.put("2", "bad usage: an option, a file or a name; the error names it and the fix");
    }

    private HelpSections() {
    }

    /** Adds the sections to {@code cli} and to each of its commands. */
    static void install(CommandLine cli) {
        exitStatus(cli);
        for (CommandLine sub : cli.getSubcommands().values()) {
            exitStatus(sub);
            if (sub.getCommandSpec().findOption("--profile") != null) {
                sub.getHelpSectionMap().put(PROFILES, help -> profiles(help.commandSpec()));
                List<String> keys = new ArrayList<>(sub.getHelpSectionKeys());
                keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), PROFILES);
                sub.setHelpSectionKeys(keys);
            }
        }
    }

    private static void exitStatus(CommandLine c) {
        c.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(EXIT_CODES);
    }

    /** The Profiles section for the deployment {@code spec}'s options give. */
    static String profiles(CommandSpec spec) {
        Optional<DeploymentOptions> options = spec.mixins().values().stream().map(CommandSpec::userObject)
                .filter(DeploymentOptions.class::isInstance).map(DeploymentOptions.class::cast).findFirst();
        try {
            return options.map(HelpSections::profiles).orElseGet(() -> ofExample(DemoCommand.CLP, ""));
        } catch (RuntimeException e) {
            // help still helps when the file does not load: say why, as the command itself would
            return String.format("%nProfiles:%n  (cannot read the deployment: %s)%n", e.getMessage());
        }
    }

    private static String profiles(DeploymentOptions d) {
        Source which = d.which();
        if (!which.isUser()) {
            return ofExample(which, d.example == null
                    ? " (the default: neither -f, --class nor a compose.yaml here gives a deployment)" : "");
        }
        if (d.className != null) {
            return section("class " + d.className, UserDeployment.fromClass(d.className, d.classpath).profiles(),
                    List.of(), YOURS);
        }
        if (d.files.size() == 1 && !UserDeployment.isCompose(d.files.get(0))) {
            return section(d.files.get(0).getFileName().toString(),
                    UserDeployment.fromFile(d.files.get(0)).deployment().profiles(), List.of(), YOURS);
        }
        ComposeImport imported = d.compose().load(List.of(), List.of());
        Set<String> all = new TreeSet<>(imported.deployment().profiles());
        imported.disabled().values().forEach(all::addAll);
        return section(String.join(", ", imported.files().stream().map(Path::getFileName).map(Path::toString)
                .toList()), all, List.of(), YOURS);
    }

    private static String ofExample(Source example, String note) {
        Deployment d = example.load(Optional.empty()).deployment();
        return section(example.describe() + note, d.profiles(), example.types(), "without --profile or --type every%n"
                + "  profile starts");
    }

    private static String section(String of, Set<String> profiles, List<String> types, String defaults) {
        StringBuilder s = new StringBuilder(String.format("%nProfiles of %s:%n", of));
        s.append(profiles.isEmpty() ? "  (none: every node starts)" : "  " + String.join(", ", new TreeSet<>(
                profiles)) + String.format("%n  activate one with --profile NAME (repeatable); " + defaults))
                .append(String.format("%n"));
        if (!types.isEmpty()) {
            s.append(String.format("  deployment types (--type): %s%n", String.join(", ", types)));
        }
        return s.toString();
    }
}
