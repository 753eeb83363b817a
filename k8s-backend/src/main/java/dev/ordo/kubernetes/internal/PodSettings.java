package dev.ordo.kubernetes.internal;

import dev.ordo.Container;
import dev.ordo.HealthCheck;
import dev.ordo.Mount;
import dev.ordo.Resources;
import dev.ordo.Scheduling;
import dev.ordo.Security;
import dev.ordo.Toleration;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts a node's liveness check, resources, security context and scheduling constraints into its pod: the one
 * mapping the backend and the export share.
 *
 * <pre>{@code
 * PodSettings.container(node.container(), containerBuilder);
 * PodSettings.pod(node.container().scheduling(), podSpecBuilder);
 * }</pre>
 */
final class PodSettings {
    private PodSettings() {
    }

    static void container(Container c, ContainerBuilder container) {
        c.liveness().ifPresent(l -> probe(l).ifPresent(container::withLivenessProbe));
        Resources r = c.resources();
        if (!r.isNone()) {
            container.withResources(new ResourceRequirementsBuilder()
                    .withRequests(quantities(r.cpuRequest(), r.memoryRequest()))
                    .withLimits(quantities(r.cpuLimit(), r.memoryLimit()))
                    .build());
        }
        Security s = c.security();
        if (!s.isNone()) {
            SecurityContextBuilder sc = new SecurityContextBuilder();
            // ids only: a user given as "root" is 0, one given by another name is refused before (SettingRules)
            s.numericUser().ifPresent(sc::withRunAsUser);
            s.numericGroup().ifPresent(sc::withRunAsGroup);
            if (s.runAsNonRoot()) {
                sc.withRunAsNonRoot(true);
            }
            if (s.readOnlyRootFilesystem()) {
                sc.withReadOnlyRootFilesystem(true);
            }
            if (s.hardened()) {
                hardened(sc);
            }
            container.withSecurityContext(sc.build());
        }
    }

    /**
     * What Pod Security {@code restricted} asks of every container beyond a non-root user
     * (k8s.io/pod-security-admission, policy checks allowPrivilegeEscalation, capabilities_restricted and
     * seccompProfile_restricted).
     */
    static SecurityContextBuilder hardened(SecurityContextBuilder sc) {
        return sc.withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    }

    static void pod(Scheduling scheduling, PodSpecBuilder pod) {
        if (!scheduling.nodeSelector().isEmpty()) {
            pod.withNodeSelector(new LinkedHashMap<>(scheduling.nodeSelector()));
        }
        List<io.fabric8.kubernetes.api.model.Toleration> tolerations = new ArrayList<>();
        for (Toleration t : scheduling.tolerations()) {
            tolerations.add(new TolerationBuilder()
                    .withKey(t.key().isEmpty() ? null : t.key())
                    .withOperator(t.operator() == Toleration.Operator.EQUAL ? "Equal" : "Exists")
                    .withValue(t.value().isEmpty() ? null : t.value())
                    .withEffect(t.effect().kubernetes().isEmpty() ? null : t.effect().kubernetes())
                    .withTolerationSeconds(t.seconds().map(ObjectFactory::seconds).orElse(null))
                    .build());
        }
        if (!tolerations.isEmpty()) {
            pod.withTolerations(tolerations);
        }
    }

    /**
     * A bind mount's propagation as Kubernetes names it, or {@code null} for the platform's default. Only the
     * recursive modes have a Kubernetes form; SHARED, SLAVE and RSHARED (Bidirectional, for privileged containers
     * only) are refused before (SettingRules).
     */
    static String propagation(Mount.Propagation p) {
        return switch (p) {
            case PRIVATE, RPRIVATE -> "None";
            case RSLAVE -> "HostToContainer";
            case RSHARED -> "Bidirectional";
            case DEFAULT, SHARED, SLAVE -> null;
        };
    }

    /** A liveness probe: Kubernetes' initial delay is the check's start period, its threshold the retries. */
    private static Optional<Probe> probe(HealthCheck l) {
        return ObjectFactory.probe(l, l.retries()).map(p -> {
            if (!l.startPeriod().isZero()) {
                p.setInitialDelaySeconds((int) Math.min(Integer.MAX_VALUE, ObjectFactory.seconds(l.startPeriod())));
            }
            return p;
        });
    }

    private static Map<String, Quantity> quantities(String cpu, String memory) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (!cpu.isEmpty()) {
            out.put("cpu", new Quantity(cpu));
        }
        if (!memory.isEmpty()) {
            out.put("memory", new Quantity(memory));
        }
        return out.isEmpty() ? null : out;
    }
}
