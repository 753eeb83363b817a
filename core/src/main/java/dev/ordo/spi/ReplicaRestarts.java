package dev.ordo.spi;

import dev.ordo.Deployment;

/**
 * A {@link Backend} that reports {@link Fact.Liveness} and can kill and start one replica again when core's
 * liveness rule says so. A backend whose platform enforces liveness itself (the kubelet) reports
 * {@link Fact.LivenessKilled} instead and does not implement this.
 *
 * <pre>{@code
 * final class MyBackend implements Backend, ReplicaRestarts { ... }
 * }</pre>
 */
public interface ReplicaRestarts {
    /**
     * Kills replica {@code replica} (from 1) of {@code node} and starts it again, whatever its restart policy, and
     * reports the exit and the start as facts. Returns without waiting.
     */
    void restart(Deployment deployment, String node, int replica);
}
