package dev.ordo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Computes {@link Node#configHash()}: SHA-256 over a canonical rendering of what a container is made from. */
final class ConfigHash {
    private ConfigHash() {
    }

    /** The ports as their record rendering was before host addresses, with the address appended when set. */
    private static String ports(Container c) {
        StringBuilder b = new StringBuilder("[");
        for (Port p : c.ports()) {
            b.append(b.length() > 1 ? ", " : "").append("Port[container=").append(p.container()).append(", host=")
                    .append(p.host()).append(", protocol=").append(p.protocol()).append(']');
            if (!p.hostIp().isEmpty()) {
                b.append('@').append(p.hostIp());
            }
        }
        return b.append(']').toString();
    }

    /** The mounts as their record rendering was before mount options, with the options appended when set. */
    private static String mounts(Container c) {
        StringBuilder b = new StringBuilder("[");
        for (Mount m : c.mounts()) {
            b.append(b.length() > 1 ? ", " : "").append("Mount[type=").append(m.type()).append(", source=")
                    .append(m.source()).append(", target=").append(m.target()).append(", readOnly=")
                    .append(m.readOnly()).append(']');
            if (m.hasOptions()) {
                b.append('@').append(m.relabel()).append('/').append(m.propagation());
            }
        }
        return b.append(']').toString();
    }

    /**
     * Hashes already made, by node value: a living deployment starts the same step (an equal node) at every fire, and
     * the hash is a function of the value. Bounded: cleared when it grows past {@link #CACHED}.
     */
    private static final Map<Node, String> CACHE = new ConcurrentHashMap<>();
    private static final int CACHED = 4096;

    public static String of(Node node) {
        String known = CACHE.get(node);
        if (known != null) {
            return known;
        }
        String hash = compute(node);
        if (CACHE.size() >= CACHED) {
            CACHE.clear();
        }
        CACHE.put(node, hash);
        return hash;
    }

    private static String compute(Node node) {
        StringBuilder b = new StringBuilder(256);
        Container c = node.container();
        b.append(node.kind()).append('|').append(c.image()).append('|').append(c.command()).append('|')
                .append(c.entrypoint()).append('|').append(new TreeMap<>(c.environment())).append('|')
                .append(ports(c)).append('|').append(mounts(c)).append('|').append(c.healthCheck()).append('|')
                .append(c.stopGracePeriod()).append('|').append(c.workingDir()).append('|')
                .append(new TreeMap<>(node.labels())).append('|');
        // Secret names and targets only: a hash of a value would leak it to anyone who can read labels.
        c.secrets().forEach(s -> b.append(s.secret()).append('>').append(s.path()).append(s.environment())
                .append(s.uid() != 0 || s.gid() != 0 || s.mode() != SecretRef.DEFAULT_MODE
                        ? ":" + s.uid() + ":" + s.gid() + ":" + Integer.toOctalString(s.mode()) : "").append(','));
        // Appended only when set, so that upgrading Ordo does not recreate nodes that use none of them.
        c.liveness().ifPresent(l -> b.append("|live:").append(l));
        if (!c.resources().isNone()) {
            b.append('|').append(c.resources());
        }
        if (!c.security().isNone()) {
            Security sec = c.security();
            // the rendering of the four fields Security had first, so that their hashes stay as they were
            b.append("|Security[runAsUser=").append(sec.runAsUser()).append(", runAsGroup=").append(sec.runAsGroup())
                    .append(", runAsNonRoot=").append(sec.runAsNonRoot()).append(", readOnlyRootFilesystem=")
                    .append(sec.readOnlyRootFilesystem()).append(']');
            if (!sec.userName().isEmpty()) {
                b.append("|user:").append(sec.userName());
            }
            if (sec.hardened()) {
                b.append("|hardened");
            }
        }
        c.build().ifPresent(x -> b.append("|build:").append(x));
        if (!c.stopSignal().isEmpty()) {
            b.append("|stop:").append(c.stopSignal());
        }
        if (!c.networking().isDefault()) {
            b.append('|').append(c.networking());
        }
        if (!c.scheduling().isAnywhere()) {
            b.append('|').append(c.scheduling());
        }
        if (node instanceof Service s) {
            b.append('|').append(s.replicas()).append('|').append(s.restartPolicy());
            if (s.maxRestarts() > 0) {
                b.append(':').append(s.maxRestarts());
            }
        } else if (node instanceof Job j) {
            b.append('|').append(j.backoffLimit()).append('|').append(j.activeDeadline()).append('|')
                    .append(j.schedule()).append('|').append(j.isOnDemand());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
