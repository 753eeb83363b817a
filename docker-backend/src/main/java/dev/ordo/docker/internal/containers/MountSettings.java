package dev.ordo.docker.internal.containers;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.OrdoException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's mounts as the engine takes them: named volumes under their Docker names ({@link dev.ordo.Volume}) and
 * tmpfs through the {@code --mount} API; bind mounts through the {@code -v} binds, with their SELinux relabelling
 * ({@code :z} / {@code :Z}, which the {@code --mount} API lacks) and propagation, so that a host directory that does
 * not exist yet is created, as {@code docker run -v} and Compose's short syntax ({@code ./data:/data}) create it.
 *
 * <pre>{@code
 * MountSettings.apply(deployment, "db", container.mounts(), secretMounts, hostConfig);
 * }</pre>
 */
final class MountSettings {
    private MountSettings() {
    }

    /** Sets {@code host}'s mounts and binds: {@code mounts} of node {@code node}, after {@code secretMounts}. */
    static void apply(Deployment d, String node, List<Mount> mounts,
                      List<com.github.dockerjava.api.model.Mount> secretMounts, HostConfig host) {
        List<com.github.dockerjava.api.model.Mount> viaMountApi = new ArrayList<>(secretMounts);
        List<Bind> binds = new ArrayList<>();
        for (Mount m : mounts) {
            if (m.type() == Mount.Type.BIND) {
                binds.add(bind(node, m));
                continue;
            }
            var dm = new com.github.dockerjava.api.model.Mount().withTarget(m.target()).withReadOnly(m.readOnly());
            switch (m.type()) {
                case VOLUME -> dm.withType(MountType.VOLUME).withSource(d.volume(m.source()).platformName(d.name()));
                case TMPFS -> dm.withType(MountType.TMPFS);
                default -> throw new AssertionError(m.type());
            }
            viaMountApi.add(dm);
        }
        host.withMounts(viaMountApi);
        if (!binds.isEmpty()) {
            host.withBinds(binds);
        }
    }

    private static Bind bind(String node, Mount m) {
        if (!m.source().startsWith("/")) {
            // as a -v bind, a relative source would name a volume instead of a directory
            throw new OrdoException("node '" + node + "' bind-mounts host path '" + m.source() + "' at '" + m.target()
                    + "', which is relative: the Docker engine would read it as a volume's name; give the absolute"
                    + " path of the directory (Path.of(\"" + m.source() + "\").toAbsolutePath())");
        }
        return new Bind(m.source(), new Volume(m.target()),
                m.readOnly() ? AccessMode.ro : AccessMode.rw,
                m.relabel() == Mount.Relabel.PRIVATE ? SELContext.single : m.relabel() == Mount.Relabel.SHARED
                        ? SELContext.shared : SELContext.none, null,
                propagationMode(m.propagation()));
    }

    private static PropagationMode propagationMode(Mount.Propagation p) {
        return switch (p) {
            case DEFAULT -> PropagationMode.DEFAULT_MODE;
            case PRIVATE -> PropagationMode.PRIVATE;
            case RPRIVATE -> PropagationMode.RPRIVATE;
            case SHARED -> PropagationMode.SHARED;
            case RSHARED -> PropagationMode.RSHARED;
            case SLAVE -> PropagationMode.SLAVE;
            case RSLAVE -> PropagationMode.RSLAVE;
        };
    }
}
