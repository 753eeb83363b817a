package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.StandIns;
import dev.ordo.kubernetes.KubernetesBackend;
import dev.ordo.kubernetes.KubernetesManifests;
import dev.ordo.Plan;
import dev.ordo.spi.Backend;
import java.time.Duration;
import java.util.List;

/** Opens the real backends for the runner; kept apart so the runner reads as a list of commands. */
final class Backends {
    /**
     * Stand-ins take a tenth of {@link Clp#READINESS}: the rehearsal keeps the real system's shape (the database is
     * still the slowest) without making the user wait twelve seconds for a stand-in database.
     */
    private static final long STAND_IN_SCALE = 10;

    private Backends() {
    }

    /** {@code docker} (the local engine, or several); with {@code standIns} a rehearsal in which the nodes named in {@code failing} fail. */
    static Backend docker(Example example, Deployment deployment, boolean standIns, List<String> failing,
                          DockerBackend docker) {
        if (!standIns) {
            return docker;
        }
        StandIns s = example.standIns(deployment);
        for (String n : failing) {
            // a job fails by its exit code; a service by never passing its health check
            s = deployment.requireNode(n) instanceof Job ? s.exitCode(n, 1) : s.neverReady(n);
        }
        return docker.withStandIns(s);
    }

    /** CLP's stand-ins: its real readiness timings, scaled down. */
    static StandIns clpStandIns(Deployment deployment) {
        StandIns s = StandIns.defaults();
        for (var e : Clp.READINESS.entrySet()) {
            if (deployment.node(e.getKey()).isEmpty()) {
                continue;
            }
            Duration scaled = e.getValue().dividedBy(STAND_IN_SCALE);
            s = e.getKey().endsWith("-creator") ? s.runFor(e.getKey(), scaled) : s.readyAfter(e.getKey(), scaled);
        }
        return s;
    }

    static Backend kubernetes() {
        return KubernetesBackend.fromKubeConfig();
    }

    /** What the Kubernetes export of {@code plan} cannot do as Ordo does. */
    static java.util.List<String> kubernetesWarnings(Plan plan) {
        return KubernetesManifests.of(plan).warnings();
    }

    /** A Kustomize base or (with {@code helm}) a Helm chart of {@code plan}, written into {@code dir}. */
    static java.util.List<java.nio.file.Path> kubernetesLayout(Plan plan, java.util.List<String> leftToOrdo,
                                                             boolean helm, java.nio.file.Path dir) {
        KubernetesManifests m = KubernetesManifests.of(plan).leaveToOrdo(leftToOrdo.toArray(String[]::new));
        return helm ? m.writeHelmChart(dir) : m.writeKustomizeBase(dir);
    }

    static String kubernetesManifests(Plan plan, java.util.List<String> leftToOrdo) {
        return KubernetesManifests.of(plan).leaveToOrdo(leftToOrdo.toArray(String[]::new)).render();
    }
}
