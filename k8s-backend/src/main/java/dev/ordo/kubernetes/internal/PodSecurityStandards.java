package dev.ordo.kubernetes.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' Pod Security Standards as a checker over one pod template, since no API server (and so no Pod Security
 * admission) can run here. Each rule is one of the policy checks of k8s.io/pod-security-admission (policy/check_*.go),
 * named in its message: {@code baseline} refuses host namespaces, privileged containers, added capabilities outside
 * the baseline set, hostPath volumes, host ports and an unconfined seccomp profile; {@code restricted} adds volume
 * types, {@code allowPrivilegeEscalation: false}, {@code runAsNonRoot}, no user 0, a RuntimeDefault or Localhost
 * seccomp profile and {@code capabilities.drop: [ALL]} on every container, init containers included.
 *
 * <pre>{@code
 * List<String> refused = PodSecurityStandards.restricted("Deployment/webui", pod);   // empty: admitted
 * }</pre>
 */
public final class PodSecurityStandards {
    /** check_capabilities_baseline.go: what a container may add under baseline. */
    private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
            "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** check_restrictedVolumes.go: the volume types restricted admits. */
    private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");

    private PodSecurityStandards() {
    }

    /** What Pod Security {@code baseline} would refuse of {@code pod}, one line each naming {@code what}. */
    public static List<String> baseline(String what, PodSpec pod) {
        List<String> out = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            out.add(what + ": host namespaces (hostNamespaces)");
        }
        for (Volume v : volumes(pod)) {
            if (v.getHostPath() != null) {
                out.add(what + ": hostPath volume '" + v.getName() + "' (hostPathVolumes)");
            }
        }
        if (seccompType(pod.getSecurityContext()).equals("Unconfined")) {
            out.add(what + ": seccomp Unconfined (seccompProfile_baseline)");
        }
        for (Container c : containers(pod)) {
            String at = what + " container '" + c.getName() + "'";
            SecurityContext sc = c.getSecurityContext();
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(at + ": privileged (privileged)");
            }
            Capabilities caps = sc == null ? null : sc.getCapabilities();
            if (caps != null && caps.getAdd() != null) {
                caps.getAdd().stream().filter(cap -> !BASELINE_CAPABILITIES.contains(cap))
                        .forEach(cap -> out.add(at + ": adds capability " + cap + " (capabilities_baseline)"));
            }
            if (c.getPorts() != null) {
                for (ContainerPort p : c.getPorts()) {
                    if (p.getHostPort() != null && p.getHostPort() != 0) {
                        out.add(at + ": host port " + p.getHostPort() + " (hostPorts)");
                    }
                }
            }
            if (sc != null && seccompType(sc.getSeccompProfile()).equals("Unconfined")) {
                out.add(at + ": seccomp Unconfined (seccompProfile_baseline)");
            }
        }
        return out;
    }

    /** What Pod Security {@code restricted} would refuse of {@code pod} (baseline's refusals included). */
    public static List<String> restricted(String what, PodSpec pod) {
        List<String> out = new ArrayList<>(baseline(what, pod));
        for (Volume v : volumes(pod)) {
            Map<String, Object> fields = Serialization.jsonMapper()
                    .convertValue(v, new TypeReference<>() { });
            fields.keySet().stream().filter(k -> !k.equals("name") && !RESTRICTED_VOLUMES.contains(k))
                    .forEach(k -> out.add(what + ": volume '" + v.getName() + "' of type " + k
                            + " (restrictedVolumes)"));
        }
        PodSecurityContext podContext = pod.getSecurityContext();
        boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
        String podSeccomp = seccompType(podContext);
        if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
            out.add(what + ": runAsUser 0 (runAsUser)");
        }
        for (Container c : containers(pod)) {
            String at = what + " container '" + c.getName() + "'";
            SecurityContext sc = c.getSecurityContext();
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(at + ": allowPrivilegeEscalation is not false (allowPrivilegeEscalation)");
            }
            boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
            if (!nonRoot) {
                out.add(at + ": runAsNonRoot is not true (runAsNonRoot)");
            }
            if (sc != null && Long.valueOf(0).equals(sc.getRunAsUser())) {
                out.add(at + ": runAsUser 0 (runAsUser)");
            }
            String seccomp = sc == null || sc.getSeccompProfile() == null ? podSeccomp
                    : seccompType(sc.getSeccompProfile());
            if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
                out.add(at + ": seccompProfile is not RuntimeDefault or Localhost (seccompProfile_restricted)");
            }
            Capabilities caps = sc == null ? null : sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                out.add(at + ": capabilities do not drop ALL (capabilities_restricted)");
            }
            if (caps != null && caps.getAdd() != null) {
                caps.getAdd().stream().filter(cap -> !cap.equals("NET_BIND_SERVICE"))
                        .forEach(cap -> out.add(at + ": adds capability " + cap + " (capabilities_restricted)"));
            }
        }
        return out;
    }

    /** Init containers first, as the pod runs them. */
    private static List<Container> containers(PodSpec pod) {
        List<Container> all = new ArrayList<>();
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        if (pod.getContainers() != null) {
            all.addAll(pod.getContainers());
        }
        return all;
    }

    private static List<Volume> volumes(PodSpec pod) {
        return pod.getVolumes() == null ? List.of() : pod.getVolumes();
    }

    private static String seccompType(PodSecurityContext c) {
        return c == null ? "" : seccompType(c.getSeccompProfile());
    }

    private static String seccompType(SeccompProfile p) {
        return p == null || p.getType() == null ? "" : p.getType();
    }
}
