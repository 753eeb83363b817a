package dev.ordo.examples;

import dev.ordo.Deployment;
import dev.ordo.plan.Plan;
import dev.ordo.spi.Backend;

/** Opens the real backends for the runner; kept apart so the runner reads as a list of commands. */
final class Backends {
    private Backends() {
    }

    static Backend docker(Deployment deployment, boolean standIns) {
        throw new IllegalArgumentException("the docker backend is not wired into this runner yet");
    }

    static Backend kubernetes() {
        throw new IllegalArgumentException("the kubernetes backend is not wired into this runner yet");
    }

    static String kubernetesManifests(Plan plan) {
        throw new IllegalArgumentException("the k8s export is not wired into this runner yet");
    }
}
