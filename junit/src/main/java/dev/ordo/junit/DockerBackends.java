package dev.ordo.junit;

import dev.ordo.docker.DockerBackend;
import dev.ordo.spi.Backend;

/**
 * Makes the Docker backend for {@link TestDeployment#onDocker()}, in a class of its own so that {@code ordo-docker}
 * is loaded only by tests that ask for Docker.
 *
 * <pre>{@code
 * Backend docker = DockerBackends.forTests();
 * }</pre>
 */
final class DockerBackends {
    private DockerBackends() {
    }

    static Backend forTests() {
        try {
            return DockerBackend.local().withReaper().withPublishedPorts();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("TestDeployment.onDocker() needs the Docker backend on the test class"
                    + " path: add the dependency dev.ordo:ordo-docker (test scope)", e);
        }
    }
}
