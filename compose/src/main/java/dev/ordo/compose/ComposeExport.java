package dev.ordo.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.ordo.Container;
import dev.ordo.Dependency;
import dev.ordo.Deployment;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import dev.ordo.Port;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import dev.ordo.Service;
import dev.ordo.compose.internal.ComposeDurations;
import dev.ordo.compose.internal.ComposeNames;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
    private static final java.util.regex.Pattern USER_LINE =
            java.util.regex.Pattern.compile("(?m)^(\\s+user: )([0-9]+:[0-9]+)$");

    public static String of(Deployment deployment) {
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
            services.set(n.name(), node(n, volumes, problems));
        }
        if (!volumes.isEmpty()) {
            ObjectNode v = root.putObject("volumes");
            volumes.forEach(v::putObject);
        }
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

    private static String esc(String s) {
        return s.replace("$", "$$");
    }

    private static ObjectNode node(Node n, TreeSet<String> volumes, List<String> problems) {
        ObjectNode s = YAML.createObjectNode();
        ObjectNode ext = YAML.createObjectNode();
        Container c = n.container();
        s.put("image", esc(c.image()));
        if (!c.entrypoint().isEmpty()) {
            c.entrypoint().forEach(s.putArray("entrypoint")::add);
            escape((ArrayNode) s.get("entrypoint"));
        }
        if (!c.command().isEmpty()) {
            c.command().forEach(s.putArray("command")::add);
            escape((ArrayNode) s.get("command"));
        }
        if (!c.environment().isEmpty()) {
            ObjectNode env = s.putObject("environment");
            c.environment().forEach((k, v) -> env.put(k, esc(v)));
        }
        for (Port p : c.ports()) {
            String proto = p.protocol().equals("tcp") ? "" : "/" + p.protocol();
            if (p.isPublished()) {
                array(s, "ports").add(p.host() + ":" + p.container() + proto);
            } else {
                array(s, "expose").add(p.container() + proto);
            }
        }
        for (Mount m : c.mounts()) {
            String ro = m.readOnly() ? ":ro" : "";
            switch (m.type()) {
                case VOLUME -> {
                    volumes.add(m.source());
                    array(s, "volumes").add(m.source() + ":" + m.target() + ro);
                }
                case BIND -> array(s, "volumes").add(esc(m.source()) + ":" + m.target() + ro);
                case TMPFS -> array(s, "tmpfs").add(m.target());
                default -> problems.add("node '" + n.name() + "': mount type " + m.type() + " has no Compose form");
            }
        }
        c.healthCheck().ifPresent(h -> {
            ObjectNode hc = health(h, ext);
            if (h.probe() instanceof HealthCheck.LogLine) {
                hc.remove("test");
                ((ObjectNode) ext.get("healthcheck")).setAll(hc); // Compose cannot watch a log: Ordo alone reads it
            } else {
                s.set("healthcheck", hc);
            }
        });
        dependencies(n, s, ext);
        if (!n.profiles().isEmpty()) {
            new TreeSet<>(n.profiles()).forEach(array(s, "profiles")::add);
        }
        for (SecretRef r : c.secrets()) {
            if (r.isEnvironment()) {
                problems.add("node '" + n.name() + "' reads secret '" + r.secret() + "' from environment variable "
                        + r.environment() + ", which Compose cannot do; mount it as a file (.secret(name))");
                continue;
            }
            ObjectNode x = array(s, "secrets").addObject();
            x.put("source", r.secret()).put("target", r.path()).put("uid", Integer.toString(r.uid()))
                    .put("gid", Integer.toString(r.gid())).put("mode", r.mode());
        }
        if (!c.workingDir().isEmpty()) {
            s.put("working_dir", c.workingDir());
        }
        if (!c.stopGracePeriod().equals(Container.DEFAULT_STOP_GRACE_PERIOD)) {
            s.put("stop_grace_period", ComposeDurations.format(c.stopGracePeriod()));
        }
        if (!n.labels().isEmpty() || n instanceof Job) {
            ObjectNode labels = s.putObject("labels");
            n.labels().forEach((k, v) -> labels.put(k, esc(v)));
            if (n instanceof Job) {
                labels.put(ComposeNames.KIND_LABEL, "job");
            }
        }
        n.pool().ifPresent(p -> ext.put("pool", p));
        dev.ordo.compose.internal.ProcessKeys.write(n, s, ext);
        c.liveness().ifPresent(l -> {
            // Compose's healthcheck never restarts a container: the liveness check lives in x-ordo, written as a
            // service's healthcheck would be, so that the importer reads it with the same code
            ObjectNode live = ext.putObject("liveness");
            ObjectNode liveExt = YAML.createObjectNode();
            live.set("healthcheck", health(l, liveExt));
            if (liveExt.size() > 0) {
                live.set(ComposeNames.EXTENSION, liveExt);
            }
        });
        if (n instanceof Service svc) {
            s.put("restart", switch (svc.restartPolicy()) {
                case NO -> "no";
                case ON_FAILURE -> "on-failure";
                case UNLESS_STOPPED -> "unless-stopped";
                case ALWAYS -> "always";
            });
            if (svc.replicas() != 1) {
                (s.has("deploy") ? (ObjectNode) s.get("deploy") : s.putObject("deploy")).put("replicas", svc.replicas());
            }
        } else if (n instanceof Job job) {
            s.put("restart", "no"); // Ordo retries a job as new attempts, not Compose restarts
            ext.put("kind", "job");
            if (job.backoffLimit() > 0) {
                ext.put("retries", job.backoffLimit());
            }
            job.activeDeadline().ifPresent(d -> ext.put("active_deadline", ComposeDurations.format(d)));
            if (job.isOnDemand() || job.isScheduled()) {
                problems.add("job '" + n.name() + "' runs on demand or on a schedule, which Compose cannot express;"
                        + " run it as a living deployment (Orchestrator.start) instead");
            }
        }
        if (ext.size() > 0) {
            s.set(ComposeNames.EXTENSION, ext);
        }
        return s;
    }

    private static void escape(ArrayNode a) {
        for (int i = 0; i < a.size(); i++) {
            a.set(i, a.textNode(esc(a.get(i).asText())));
        }
    }

    private static ArrayNode array(ObjectNode s, String key) {
        return s.has(key) ? (ArrayNode) s.get(key) : s.putArray(key);
    }

    private static ObjectNode health(HealthCheck h, ObjectNode ext) {
        ObjectNode hc = YAML.createObjectNode();
        ArrayNode test = hc.putArray("test");
        if (h.probe() instanceof HealthCheck.Command cmd) {
            test.add("CMD");
            cmd.argv().forEach(a -> test.add(esc(a)));
        } else if (h.probe() instanceof HealthCheck.Http http) {
            ext.putObject("healthcheck").putObject("http").put("port", http.port()).put("path", http.path());
            test.add("CMD-SHELL").add("wget -q -O /dev/null http://localhost:" + http.port() + esc(http.path()));
        } else if (h.probe() instanceof HealthCheck.Tcp tcp) {
            ext.putObject("healthcheck").put("tcp", tcp.port());
            test.add("CMD-SHELL").add("nc -z localhost " + tcp.port());
        } else if (h.probe() instanceof HealthCheck.LogLine log) {
            ext.putObject("healthcheck").put("log", log.regex());
        }
        hc.put("interval", ComposeDurations.format(h.interval()));
        hc.put("timeout", ComposeDurations.format(h.timeout()));
        hc.put("retries", h.retries());
        hc.put("start_period", ComposeDurations.format(h.startPeriod()));
        return hc;
    }

    private static void dependencies(Node n, ObjectNode s, ObjectNode ext) {
        if (n.dependencies().isEmpty()) {
            return;
        }
        ObjectNode deps = s.putObject("depends_on");
        for (Dependency d : n.dependencies()) {
            deps.putObject(d.target()).put("condition", switch (d.condition()) {
                case STARTED -> "service_started";
                case HEALTHY -> "service_healthy";
                case COMPLETED_SUCCESSFULLY -> "service_completed_successfully";
            });
            if (!d.required() || d.restart()) {
                // Compose 2.20+ has these keys, but docker-compose 1.x refuses them: Ordo keeps them here
                ObjectNode x = ext.has("depends_on") ? (ObjectNode) ext.get("depends_on") : ext.putObject("depends_on");
                x.putObject(d.target()).put("required", d.required()).put("restart", d.restart());
            }
        }
    }
}
