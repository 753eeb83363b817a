package dev.ordo.cli;

import dev.ordo.Deployment;
import dev.ordo.Job;
import dev.ordo.docker.DockerBackend;
import dev.ordo.docker.StandIns;
import dev.ordo.kubernetes.KubernetesBackend;
import dev.ordo.kubernetes.KubernetesManifests;
import dev.ordo.Plan;
import dev.ordo.spi.Backend;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the real backends for the runner and writes its Kubernetes exports; kept apart so that the commands read as
 * what they do.
 *
 * <pre>{@code
 * Backend b = Backends.docker(Source.USER, deployment, true, List.of("migrate"), DockerBackend.local());
 * }</pre>
 */
final class Backends {
    private Backends() {
    }

    /**
     * {@code docker} (the local engine, or several); with {@code standIns} a rehearsal in which the nodes named in
     * {@code failing} fail.
     */
    static Backend docker(Source source, Deployment deployment, boolean standIns, List<String> failing,
                          DockerBackend docker) {
        if (!standIns) {
            return docker;
        }
        StandIns s = source.standIns(deployment);
        for (String n : failing) {
            // a job fails by its exit code; a service by never passing its health check
            s = deployment.requireNode(n) instanceof Job ? s.exitCode(n, 1) : s.neverReady(n);
        }
        return docker.withStandIns(s);
    }

    static Backend kubernetes() {
        return KubernetesBackend.fromKubeConfig();
    }

    /** What the Kubernetes export of {@code plan} cannot do as Ordo does. */
    static List<String> kubernetesWarnings(Plan plan) {
        return KubernetesManifests.of(plan).warnings();
    }

    /** A Kustomize base or (with {@code helm}) a Helm chart of {@code plan}, written into {@code dir}. */
    static List<Path> kubernetesLayout(Plan plan, List<String> leftToOrdo, boolean helm, Path dir) {
        KubernetesManifests m = KubernetesManifests.of(plan).leaveToOrdo(leftToOrdo.toArray(String[]::new));
        return helm ? m.writeHelmChart(dir) : m.writeKustomizeBase(dir);
    }

    /** The Kubernetes manifests of {@code plan}, without the triggers left to Ordo's living handle. */
    static String kubernetesManifests(Plan plan, List<String> leftToOrdo) {
        return KubernetesManifests.of(plan).leaveToOrdo(leftToOrdo.toArray(String[]::new)).render();
    }
}
