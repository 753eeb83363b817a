package dev.ordo.docker.internal;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.SELContext;
import dev.ordo.Deployment;
import dev.ordo.Mount;
import dev.ordo.OrdoException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's mounts as the engine takes them: named volumes under their Docker names ({@link dev.ordo.Volume}), tmpfs,
 * and bind mounts with their propagation through the {@code --mount} API; a bind mount Docker must relabel for
 * SELinux ({@code :z} / {@code :Z}) goes through the {@code -v} binds instead, since the {@code --mount} API has no
 * relabelling.
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
            if (m.type() == Mount.Type.BIND && m.relabel() != Mount.Relabel.NONE) {
                binds.add(bind(node, m));
                continue;
            }
            var dm = new com.github.dockerjava.api.model.Mount().withTarget(m.target()).withReadOnly(m.readOnly());
            switch (m.type()) {
                case VOLUME -> dm.withType(MountType.VOLUME).withSource(d.volume(m.source()).platformName(d.name()));
                case BIND -> {
                    dm.withType(MountType.BIND).withSource(m.source());
                    if (m.propagation() != Mount.Propagation.DEFAULT) {
                        dm.withBindOptions(new BindOptions().withPropagation(bindPropagation(m.propagation())));
                    }
                }
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
                    + "' with SELinux relabelling, and the Docker engine takes only absolute host paths there; give"
                    + " the absolute path of the directory");
        }
        return new Bind(m.source(), new com.github.dockerjava.api.model.Volume(m.target()),
                m.readOnly() ? AccessMode.ro : AccessMode.rw,
                m.relabel() == Mount.Relabel.PRIVATE ? SELContext.single : SELContext.shared, null,
                propagationMode(m.propagation()));
    }

    private static BindPropagation bindPropagation(Mount.Propagation p) {
        return switch (p) {
            case PRIVATE -> BindPropagation.PRIVATE;
            case RPRIVATE, DEFAULT -> BindPropagation.R_PRIVATE;
            case SHARED -> BindPropagation.SHARED;
            case RSHARED -> BindPropagation.R_SHARED;
            case SLAVE -> BindPropagation.SLAVE;
            case RSLAVE -> BindPropagation.R_SLAVE;
        };
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
