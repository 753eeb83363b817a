package dev.ordo.tck;

import dev.ordo.Deployment;
import dev.ordo.spi.Backend;
import dev.ordo.testing.SimulatedBackend;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The backend contract on the simulated backend: every scenario, in virtual time. */
class SimulatedBackendContractTest extends BackendContract {
    @Override
    protected Backend backend(Scripts scripts) {
        SimulatedBackend sim = SimulatedBackend.create();
        scripts.all().forEach((node, s) -> {
            sim.readyAfter(node, s.readyAfter());
            if (!s.passes()) {
                sim.neverHealthy(node);
            }
            s.exitsAfter().ifPresent(after -> sim.attemptsExit(node, after,
                    s.exitCodes().stream().mapToInt(Integer::intValue).toArray()));
            s.livenessFailsAfter().ifPresent(after -> sim.livenessFailsAt(node, after));
            java.util.List<String> lines = new java.util.ArrayList<>(s.stdout());
            lines.addAll(s.stderr());
            sim.logs(node, lines.toArray(String[]::new));
        });
        return sim;
    }

    @Override
    protected void kill(Backend backend, Deployment deployment, String node) {
        ((SimulatedBackend) backend).kill(deployment.name(), node);
    }

    @Override
    protected Foreign plantForeign(Backend backend, Deployment deployment, String node) {
        ((SimulatedBackend) backend).foreignContainer(deployment.name(), node);
        return new Foreign() {
            @Override
            public boolean exists() {
                return true; // the simulated platform never removes what it did not create
            }

            @Override
            public void remove() {
            }
        };
    }

    @Override
    protected boolean volumeExists(Backend backend, Deployment deployment, String volume) {
        return ((SimulatedBackend) backend).hasVolume(deployment, volume);
    }

    @Override
    protected Foreign plantVolume(Backend backend, String name) {
        SimulatedBackend sim = (SimulatedBackend) backend;
        sim.externalVolume(name);
        return new Foreign() {
            @Override
            public boolean exists() {
                return sim.hasVolumeNamed(name);
            }

            @Override
            public void remove() {
                // the simulated platform keeps what it did not create; the backend goes with the scenario
            }
        };
    }

    @Override
    protected Optional<String> readFile(Backend backend, Deployment deployment, String node, String path) {
        Map<String, String> files = ((SimulatedBackend) backend).deliveredSecrets(deployment.name(), node);
        return Optional.ofNullable(files.get(path));
    }

    @Override
    protected void disconnect(Backend backend) {
        ((SimulatedBackend) backend).disconnect();
    }

    @Override
    protected Duration timeout() {
        return Duration.ofMinutes(2);
    }
}
