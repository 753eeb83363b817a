package dev.ordo.docker;

import dev.ordo.Container;
import dev.ordo.HealthCheck;
import dev.ordo.Job;
import dev.ordo.Mount;
import dev.ordo.Node;
import dev.ordo.Security;
import dev.ordo.Service;
import dev.ordo.docker.internal.images.StandInImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a node into its stand-in: same name, environment, ports, volumes, secrets and health-check timing, but the
 * busybox image running a script that emulates the start-up. The probe keeps its kind (an http check is answered by
 * busybox httpd, a tcp check by the same listener, a command check by a ready file, a log-line check by a printed
 * line, the image's own check by the stand-in image's {@code HEALTHCHECK}, which tests the ready file), so a rehearsal
 * exercises the same readiness path as the real run. Networks, aliases and restart limits stay; a node's build does
 * not: its stand-in is not built.
 *
 * <pre>{@code
 * Node standIn = StandInRewrite.of(node, StandIns.defaults());
 * }</pre>
 */
final class StandInRewrite {
    /** The line every ready stand-in prints; log-line checks are rewritten to match it. */
    static final String READY_LINE = "ordo stand-in ready";
    static final String READY_FILE = StandInImage.READY_FILE;
    /** Exists while a stand-in is wedged: its liveness check fails. */
    static final String WEDGED_FILE = "/tmp/ordo-wedged";
    /** Exists once a stand-in has lived: after a restart it is not wedged again. */
    static final String LIVED_FILE = "/tmp/ordo-lived";

    private StandInRewrite() {
    }

    static Node of(Node node, StandIns standIns, int attempt) {
        Container c = node.container();
        boolean job = node instanceof Job;
        String n = node.name();
        Duration delay = job ? standIns.exitsAfter(n).orElse(standIns.delayFor(n, true)) : standIns.delayFor(n, false);
        Optional<HealthCheck> check = c.healthCheck().map(StandInRewrite::check);
        String lines = printing(standIns.variablesOf(n), standIns.stdoutOf(n), standIns.stderrOf(n));
        String script = job ? jobScript(n, delay, standIns.exitCodeFor(n, attempt), lines)
                : wedging(standIns.livenessFailsAfter(n)) + serviceScript(n, delay, standIns.isNeverReady(n), check,
                        lines, standIns.exitsAfter(n).map(after -> new Exit(after, standIns.exitCodeFor(n, 1))));
        List<Mount> mounts = new ArrayList<>();
        for (Mount m : c.mounts()) {
            // The host directories of bind mounts need not exist where a rehearsal runs; scratch space will do.
            mounts.add(m.type() == Mount.Type.BIND ? Mount.tmpfs(m.target()) : m);
        }
        // Resources, scheduling and networks stay; the security context does not, since a stand-in's script writes
        // its ready file as the image's root user.
        boolean imageCheck = check.map(h -> h.probe() instanceof HealthCheck.ImageDefined).orElse(false);
        Container standIn = new Container(imageCheck ? StandInImage.WITH_HEALTH_CHECK : StandInImage.REFERENCE,
                List.of(), List.of("/bin/sh", "-c", script), c.environment(), c.ports(), mounts, check, c.secrets(),
                c.stopGracePeriod(), "", c.liveness().map(StandInRewrite::liveness), c.resources(),
                Security.none(), c.scheduling(), Optional.empty(), c.networking());
        if (node instanceof Service s) {
            return new Service(s.name(), standIn, s.replicas(), s.restartPolicy(), s.dependencies(), s.profiles(),
                    s.pool(), s.labels(), s.maxRestarts());
        }
        Job j = (Job) node;
        return new Job(j.name(), standIn, j.backoffLimit(), j.activeDeadline(), j.schedule(), j.dependencies(),
                j.profiles(), j.pool(), j.labels());
    }

    /** A liveness check fails once the stand-in is wedged (the file its script creates when told to). */
    private static HealthCheck liveness(HealthCheck hc) {
        return new HealthCheck(new HealthCheck.Command(List.of("test", "!", "-e", WEDGED_FILE)), hc.interval(),
                hc.timeout(), hc.retries(), hc.startPeriod());
    }

    private static HealthCheck check(HealthCheck hc) {
        HealthCheck.Probe p = hc.probe();
        if (p instanceof HealthCheck.Command) {
            p = new HealthCheck.Command(List.of("test", "-e", READY_FILE));
        } else if (p instanceof HealthCheck.LogLine) {
            p = new HealthCheck.LogLine("^" + Pattern.quote(READY_LINE) + "$");
        }
        return new HealthCheck(p, hc.interval(), hc.timeout(), hc.retries(), hc.startPeriod());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%d.%03d", d.toSeconds(), d.toMillisPart());
    }

    /**
     * In its first life only (a restarted container keeps its filesystem), the stand-in wedges {@code after} its
     * start: it creates the file its liveness check tests for.
     */
    static String wedging(Optional<Duration> after) {
        if (after.isEmpty()) {
            return "";
        }
        return "if [ -e " + LIVED_FILE + " ]; then rm -f " + WEDGED_FILE + "; else touch " + LIVED_FILE
                + "; (sleep " + seconds(after.get()) + "; touch " + WEDGED_FILE + ") & fi\n";
    }

    /** A service stand-in's scripted exit. */
    record Exit(Duration after, int code) {
    }

    /** Shell lines that print {@code stdout}, then {@code stderr}, each line as given. */
    static String printing(List<String> stdout, List<String> stderr) {
        return printing(List.of(), stdout, stderr);
    }

    /** Shell lines that print each variable as {@code NAME=value}, then {@code stdout}, then {@code stderr}. */
    static String printing(List<String> variables, List<String> stdout, List<String> stderr) {
        StringBuilder s = new StringBuilder();
        variables.forEach(v -> s.append("echo \"").append(v).append("=${").append(v).append("}\"\n"));
        stdout.forEach(l -> s.append("echo ").append(quote(l)).append('\n'));
        stderr.forEach(l -> s.append("echo ").append(quote(l)).append(" >&2\n"));
        return s.toString();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static String jobScript(String name, Duration delay, int exitCode, String lines) {
        // The sleep runs in the background and the shell waits for it, so that SIGTERM reaches the trap at once.
        return "trap 'exit 143' TERM INT\n"
                + "echo 'ordo stand-in for job " + name + ": running for " + seconds(delay) + "s'\n"
                + "sleep " + seconds(delay) + " & wait $!\n"
                + lines
                + "exit " + exitCode + "\n";
    }

    static String serviceScript(String name, Duration delay, boolean never, Optional<HealthCheck> check,
                                String lines, Optional<Exit> exit) {
        StringBuilder s = new StringBuilder();
        s.append("trap 'exit 0' TERM INT\n");
        s.append("echo 'ordo stand-in for service ").append(name).append(": ready in ").append(seconds(delay))
                .append("s'\n");
        if (exit.isPresent() && (never || exit.get().after().compareTo(delay) <= 0)) {
            // It dies before it would be ready: print, then exit with its code.
            s.append("sleep ").append(seconds(exit.get().after())).append(" & wait $!\n").append(lines)
                    .append("exit ").append(exit.get().code()).append('\n');
            return s.toString();
        }
        s.append("sleep ").append(seconds(delay)).append(" & wait $!\n");
        if (!never) {
            HealthCheck.Probe p = check.map(HealthCheck::probe).orElse(null);
            if (p instanceof HealthCheck.Http h) {
                String path = h.path().isEmpty() || h.path().endsWith("/") ? h.path() + "index.html" : h.path();
                path = path.startsWith("/") ? path : "/" + path;
                path = path.replaceAll("[?#].*$", "").replace("'", "");
                s.append("mkdir -p \"$(dirname '/www").append(path).append("')\" && echo ok > '/www")
                        .append(path).append("'\n");
                s.append("httpd -p ").append(h.port()).append(" -h /www\n");
            } else if (p instanceof HealthCheck.Tcp t) {
                s.append("httpd -p ").append(t.port()).append(" -h /www\n");
            }
            s.append("touch ").append(READY_FILE).append("\n");
            s.append("echo '").append(READY_LINE).append("'\n");
        }
        if (exit.isPresent()) {
            s.append(lines.isEmpty() ? "" : lines);
            s.append("sleep ").append(seconds(exit.get().after().minus(delay))).append(" & wait $!\n")
                    .append("exit ").append(exit.get().code()).append('\n');
            return s.toString();
        }
        s.append(lines);
        s.append("while :; do sleep 3600 & wait $!; done\n");
        return s.toString();
    }
}
