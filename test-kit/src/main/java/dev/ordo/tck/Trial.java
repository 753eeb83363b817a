package dev.ordo.tck;

import dev.ordo.Deployment;
import dev.ordo.OrdoException;
import dev.ordo.Plan;
import dev.ordo.run.DownOptions;
import dev.ordo.run.LiveDeployment;
import dev.ordo.run.Orchestrator;
import dev.ordo.run.RunListener;
import dev.ordo.run.RunReport;
import dev.ordo.spi.Backend;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One run of one {@link Scenario} on the backend under test: hands out backends scripted as the scenario needs,
 * runs operations with the contract's timeout, and cleans up whatever the scenario brought up (down with volumes,
 * backends closed), also when it fails.
 *
 * <pre>{@code
 * Backend b = trial.backend(Scripts.none().with("db", Script.service().readyAfter(Duration.ofSeconds(1))));
 * RunReport report = trial.up(b, deployment.plan());
 * }</pre>
 */
public final class Trial implements AutoCloseable {
    private final BackendContract contract;
    private final String prefix;
    private final Deque<Runnable> cleanups = new ArrayDeque<>();

    Trial(BackendContract contract, String prefix) {
        this.contract = contract;
        this.prefix = prefix;
    }

    /** Who decides the backend's liveness restarts: core or the platform. */
    public BackendContract.LivenessJudge livenessJudge() {
        return contract.livenessJudge();
    }

    /** A deployment name unique to this scenario, e.g. {@code tck-order}. */
    public String name(String base) {
        return prefix + "-" + base;
    }

    /** A backend on which the scenario's nodes behave as {@code scripts} say; closed after the scenario. */
    public Backend backend(Scripts scripts) {
        Backend b = contract.backend(scripts);
        cleanups.push(() -> b.close());
        return b;
    }

    /** Orchestrator on {@code backend} with the contract's timeout and {@code listener}. */
    public Orchestrator orchestrator(Backend backend, RunListener listener) {
        return Orchestrator.using(backend).timeout(contract.timeout()).listener(listener);
    }

    /** Brings {@code plan} up on {@code backend}; the deployment is brought down after the scenario. */
    public RunReport up(Backend backend, Plan plan) {
        return up(backend, plan, RunListener.NONE);
    }

    /** Brings {@code plan} up, reporting to {@code listener}; the deployment is brought down after the scenario. */
    public RunReport up(Backend backend, Plan plan, RunListener listener) {
        downAfter(backend, plan.deployment());
        return orchestrator(backend, listener).up(plan);
    }

    /**
     * Starts {@code plan} as a living deployment reporting to {@code listener}; the handle is closed (cancelling
     * what still runs) and the deployment brought down after the scenario.
     */
    public LiveDeployment start(Backend backend, Plan plan, RunListener listener) {
        downAfter(backend, plan.deployment());
        LiveDeployment live = orchestrator(backend, listener).start(plan);
        cleanups.push(() -> live.close(LiveDeployment.CloseMode.CANCEL));
        return live;
    }

    /** Brings {@code deployment} down (volumes too) on {@code backend} after the scenario. */
    public void downAfter(Backend backend, Deployment deployment) {
        cleanups.push(() -> Orchestrator.using(backend).down(deployment, DownOptions.defaults().removeVolumes(true)));
    }

    /** Kills {@code node} from outside, as the contract's {@link BackendContract#kill} does. */
    public void kill(Backend backend, Deployment deployment, String node) {
        contract.kill(backend, deployment, node);
    }

    /** Creates a resource that clashes with {@code node}'s, not made by Ordo; removed after the scenario. */
    public BackendContract.Foreign plantForeign(Backend backend, Deployment deployment, String node) {
        BackendContract.Foreign f = contract.plantForeign(backend, deployment, node);
        cleanups.push(f::remove);
        return f;
    }

    /** Creates volume {@code name} outside Ordo, as {@link BackendContract#plantVolume} does; removed after the scenario. */
    public BackendContract.Foreign plantVolume(Backend backend, String name) {
        BackendContract.Foreign f = contract.plantVolume(backend, name);
        cleanups.push(f::remove);
        return f;
    }

    /** Whether the platform holds named volume {@code volume} of {@code deployment}. */
    public boolean volumeExists(Backend backend, Deployment deployment, String volume) {
        return contract.volumeExists(backend, deployment, volume);
    }

    /** The content of file {@code path} as {@code node}'s running container sees it, if readable. */
    public Optional<String> readFile(Backend backend, Deployment deployment, String node, String path) {
        return contract.readFile(backend, deployment, node, path);
    }

    /** Makes the platform stop answering (see {@link BackendContract#disconnect}). */
    public void disconnect(Backend backend) {
        contract.disconnect(backend);
    }

    /** The contract's per-node timeout. */
    public Duration timeout() {
        return contract.timeout();
    }

    @Override
    public void close() {
        OrdoException first = null;
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = new OrdoException("cleaning up after the scenario failed: " + e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
