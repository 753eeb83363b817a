package dev.ordo.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ordo.Deployment;
import dev.ordo.Network;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Secret;
import dev.ordo.Volume;
import dev.ordo.compose.internal.ComposeNames;
import dev.ordo.compose.internal.ServiceWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A deployment as a compose file that {@code docker-compose config} accepts and that {@link ComposeFile} reads
 * back to an equal deployment. What Compose has no key for — Ordo's HTTP, TCP and log-line health checks, job
 * retries and deadlines, pools, {@code required}/{@code restart} of a dependency, a secret read from the
 * environment — goes into {@code x-ordo} extension fields, which Compose ignores; an HTTP or TCP check also gets a
 * Compose {@code CMD-SHELL} test doing the same with busybox's {@code wget}/{@code nc}. Dollar signs are escaped
 * ({@code $$}) so that Compose does not interpolate them.
 *
 * <pre>{@code
 * Files.writeString(Path.of("docker-compose.yml"), ComposeExport.of(deployment));
 * }</pre>
 */
public final class ComposeExport {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private ComposeExport() {
    }

    /**
     * {@code deployment} as compose YAML.
     *
     * @throws OrdoException naming every node, secret or trigger Compose cannot express (a literal secret, whose
     *                       value Ordo never writes out; a secret given as an environment variable of the node;
     *                       on-demand or scheduled jobs and triggers)
     */
    private static final Pattern USER_LINE =
            Pattern.compile("(?m)^(\\s+user: )([0-9]+:[0-9]+)$");

    public static String of(Deployment deployment) {
        return write(deployment);
    }

    private static void networks(Deployment deployment, ObjectNode root) {
        SortedSet<String> used = new TreeSet<>(deployment.networks());
        used.addAll(deployment.networkDefinitions().keySet());
        if (used.equals(Set.of(Network.DEFAULT)) && deployment.network(Network.DEFAULT).isPlain()) {
            return;
        }
        ObjectNode nets = root.putObject("networks");
        for (String name : used) {
            Network net = deployment.network(name);
            ObjectNode o = nets.putObject(name);
            if (net.internal()) {
                o.put("internal", true);
            }
            if (net.external()) {
                o.put("external", true);
            }
            if (!net.platformName().isEmpty()) {
                o.put("name", net.platformName());
            }
        }
    }

    private static String write(Deployment deployment) {
        List<String> problems = new ArrayList<>();
        ObjectNode root = YAML.createObjectNode();
        ObjectNode ext = root.putObject(ComposeNames.EXTENSION);
        ext.put("name", deployment.name());
        if (!deployment.pools().isEmpty()) {
            ObjectNode pools = ext.putObject("pools");
            deployment.pools().values().forEach(p -> pools.put(p.name(), p.slots()));
        }
        deployment.triggers().keySet().forEach(t -> problems.add("trigger '" + t + "': Compose has no schedules or"
                + " triggers; run it as a living deployment (Orchestrator.start) instead"));
        ObjectNode services = root.putObject("services");
        TreeSet<String> volumes = new TreeSet<>();
        for (Node n : deployment.nodes()) {
            services.set(n.name(), ServiceWriter.write(n, volumes, problems));
        }
        if (!volumes.isEmpty()) {
            ObjectNode v = root.putObject("volumes");
            for (String name : volumes) {
                Volume vol = deployment.volume(name);
                ObjectNode o = v.putObject(name);
                if (vol.external()) {
                    o.put("external", true);
                }
                if (!vol.platformName().isEmpty()) {
                    o.put("name", vol.platformName());
                }
                if (!vol.driver().isEmpty()) {
                    o.put("driver", vol.driver());
                }
                if (!vol.driverOptions().isEmpty()) {
                    ObjectNode opts = o.putObject("driver_opts");
                    vol.driverOptions().forEach(opts::put);
                }
                if (vol.manyNodes()) {
                    o.putObject(ComposeNames.EXTENSION).put("access", "ReadWriteMany");
                }
            }
        }
        networks(deployment, root);
        if (!deployment.secrets().isEmpty()) {
            ObjectNode secrets = root.putObject("secrets");
            for (Secret s : deployment.secrets().values()) {
                switch (s.source()) {
                    case FILE -> secrets.putObject(s.name()).put("file", s.reference());
                    case ENV -> secrets.putObject(s.name()).putObject(ComposeNames.EXTENSION)
                            .put("environment", s.reference());
                    default -> problems.add("secret '" + s.name() + "' is a literal, and Ordo never writes a secret's"
                            + " value out; give it as Secret.fromFile or Secret.fromEnv");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new OrdoException("deployment '" + deployment.name() + "' cannot be written as a compose file:\n  - "
                    + String.join("\n  - ", problems));
        }
        try {
            // uid:gid unquoted is a base-60 integer to YAML 1.1 readers (docker-compose 1.x reads 1000:0 as 60000)
            return USER_LINE.matcher(YAML.writeValueAsString(root)).replaceAll("$1\"$2\"");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

}
