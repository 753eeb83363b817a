package dev.ordo.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Frame;
import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.docker.internal.containers.ContainerIdentity;
import dev.ordo.docker.internal.containers.Containers;
import dev.ordo.docker.internal.engine.EngineConnection;
import dev.ordo.docker.internal.engine.LineSplitter;
import dev.ordo.docker.internal.logs.ContainerLogs;
import dev.ordo.spi.ExecResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a test asks of a running node on one engine: the host address of a published port, the logs, a command run
 * inside it. Always the node's first replica.
 *
 * <pre>{@code
 * String api = runtime.inspection().address(deployment, "api", 8080).orElseThrow(); // "127.0.0.1:49153"
 * }</pre>
 */
public final class Inspection {
    /** The longest a command run with {@link #exec} may take. */
    static final long EXEC_LIMIT_SECONDS = 300;
    private final EngineConnection engine;
    private final Containers containers;
    private final ContainerLogs logs;

    Inspection(EngineConnection engine, Containers containers, ContainerLogs logs) {
        this.engine = engine;
        this.containers = containers;
        this.logs = logs;
    }

    private Container first(Deployment d, String node, boolean running) {
        d.requireNode(node);
        return engine.call("list the containers of node '" + node + "'", () -> containers.ofNode(d.name(), node,
                        Optional.empty())).stream()
                .filter(c -> !running || "running".equals(c.getState()))
                .min(Comparator.comparing(c -> ContainerIdentity.replicaOf(c.getLabels())))
                .orElseThrow(() -> new OrdoException("node '" + node + "' of '" + d.name() + "' has no "
                        + (running ? "running " : "") + "container on " + engine.name() + "; bring it up first"));
    }

    /** {@code host:port} at which this process reaches container port {@code port}, if it is published. */
    public Optional<String> address(Deployment d, String node, int port) {
        Container c = first(d, node, true);
        if (c.getPorts() == null) {
            return Optional.empty();
        }
        for (ContainerPort p : c.getPorts()) {
            if (p.getPrivatePort() != null && p.getPrivatePort() == port && p.getPublicPort() != null) {
                String ip = p.getIp() == null || p.getIp().isBlank() || "0.0.0.0".equals(p.getIp())
                        || "::".equals(p.getIp()) ? engine.hostAddress() : p.getIp();
                return Optional.of((ip.contains(":") ? "[" + ip + "]" : ip) + ":" + p.getPublicPort());
            }
        }
        return Optional.empty();
    }

    /** Everything the node's first replica printed, stdout and stderr in the order printed. */
    public List<String> logs(Deployment d, String node) {
        return logs.tail(first(d, node, false).getId(), Instant.EPOCH, Integer.MAX_VALUE / 4);
    }

    /** Runs {@code argv} in the node's first running replica and waits for it. */
    public ExecResult exec(Deployment d, String node, List<String> argv) {
        String id = first(d, node, true).getId();
        return engine.call("run " + argv + " in node '" + node + "'", () -> {
            String execId = engine.commands().execCreateCmd(id).withCmd(argv.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            List<String> lines = new ArrayList<>();
            LineSplitter split = new LineSplitter((stream, line) -> {
                synchronized (lines) {
                    lines.add(line);
                }
            });
            try {
                boolean done = engine.streams().execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame f) {
                        split.accept(f.getStreamType(), f.getPayload());
                    }
                }).awaitCompletion(EXEC_LIMIT_SECONDS, TimeUnit.SECONDS);
                if (!done) {
                    throw new OrdoException("command " + argv + " in node '" + node + "' did not end within "
                            + EXEC_LIMIT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OrdoException("interrupted while running " + argv + " in node '" + node + "'");
            }
            split.flush();
            Long code = engine.commands().inspectExecCmd(execId).exec().getExitCodeLong();
            synchronized (lines) {
                return new ExecResult(code == null ? -1 : code.intValue(), lines);
            }
        });
    }
}
