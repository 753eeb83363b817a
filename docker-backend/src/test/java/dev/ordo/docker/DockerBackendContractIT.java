package dev.ordo.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.Deployment;
import dev.ordo.docker.internal.images.StandInImage;
import dev.ordo.spi.Backend;
import dev.ordo.spi.Labels;
import dev.ordo.tck.BackendContract;
import dev.ordo.tck.ScenarioNames;
import dev.ordo.tck.Scripts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The backend contract on a real Docker engine: every scenario's nodes are busybox stand-ins that behave as the
 * scenario's scripts say, and "reaching behind Ordo's back" is the docker-java client a user's {@code docker} CLI
 * would be. The TCK's image, {@code tck/app:1}, is never pulled: its stand-in runs instead; a node that uses the
 * image's own health check runs the stand-in image's variant whose {@code HEALTHCHECK} follows the script's readiness,
 * and a built node is rehearsed as stand-ins rehearse every node, without its build (DockerComposeShapeIT builds).
 */
class DockerBackendContractIT extends BackendContract {
    @Override
    protected Backend backend(Scripts scripts) {
        StandIns s = StandIns.defaults().readyAfter(Duration.ZERO).runFor(Duration.ZERO);
        for (var e : scripts.all().entrySet()) {
            String node = e.getKey();
            var script = e.getValue();
            s = s.readyAfter(node, script.readyAfter());
            if (!script.passes()) {
                s = s.neverReady(node);
            }
            if (script.exitsAfter().isPresent()) {
                s = s.exits(node, script.exitsAfter().get(),
                        script.exitCodes().stream().mapToInt(Integer::intValue).toArray());
            }
            if (script.livenessFailsAfter().isPresent()) {
                s = s.livenessFailsAfter(node, script.livenessFailsAfter().get());
            }
            s = s.prints(node, script.stdout().toArray(String[]::new))
                    .printsToStderr(node, script.stderr().toArray(String[]::new));
        }
        DockerTestSupport.backend().close(); // fails under CI (skips locally) when no engine answers
        return DockerBackend.local().withStandIns(s);
    }

    @Override
    protected void kill(Backend backend, Deployment deployment, String node) {
        for (Container c : DockerTestSupport.containers(deployment.name())) {
            if (node.equals(c.getLabels().get(Labels.NODE))) {
                // from another thread, as a person at a terminal would: the run goes on meanwhile
                new Thread(() -> DockerTestSupport.client().killContainerCmd(c.getId()).exec()).start();
            }
        }
    }

    @Override
    protected Foreign plantForeign(Backend backend, Deployment deployment, String node) {
        String name = deployment.name() + "-" + node + "-1";
        String id = DockerTestSupport.client().createContainerCmd(StandInImage.REFERENCE).withName(name)
                .withCmd("sleep", "600").exec().getId();
        return new Foreign() {
            @Override
            public boolean exists() {
                try {
                    DockerTestSupport.client().inspectContainerCmd(id).exec();
                    return true;
                } catch (NotFoundException gone) {
                    return false;
                }
            }

            @Override
            public void remove() {
                try {
                    DockerTestSupport.client().removeContainerCmd(id).withForce(true).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
            }
        };
    }

    @Override
    protected boolean volumeExists(Backend backend, Deployment deployment, String volume) {
        return DockerTestSupport.volumeExists(deployment.volume(volume).platformName(deployment.name()));
    }

    /** A volume as {@code docker volume create} makes it: no label of Ordo's. */
    @Override
    protected Foreign plantVolume(Backend backend, String name) {
        DockerTestSupport.client().createVolumeCmd().withName(name).exec();
        return new Foreign() {
            @Override
            public boolean exists() {
                return DockerTestSupport.volumeExists(name);
            }

            @Override
            public void remove() {
                try {
                    DockerTestSupport.client().removeVolumeCmd(name).exec();
                } catch (NotFoundException gone) {
                    // already gone
                }
            }
        };
    }

    @Override
    protected Optional<String> readFile(Backend backend, Deployment deployment, String node, String path) {
        var client = DockerTestSupport.client();
        String id = deployment.name() + "-" + node + "-1";
        String exec = client.execCreateCmd(id).withCmd("cat", path).withAttachStdout(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            client.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame f) {
                    out.append(new String(f.getPayload(), StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.of(out.toString());
    }

    @Override
    protected Optional<String> unsupported(String scenario) {
        if (scenario.equals(ScenarioNames.PLATFORM_UNREACHABLE)) {
            return Optional.of("covered by DockerEngineOutageIT, which needs an engine of its own to kill");
        }
        if (scenario.equals(ScenarioNames.LONG_CHAIN)) {
            return Optional.of("10,000 containers do not fit a test engine; DockerLongChainIT starts a node of a"
                    + " 10,000-node chain instead");
        }
        return Optional.empty();
    }

    @Override
    protected String namePrefix() {
        return "dtck";
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(90);
    }

}
