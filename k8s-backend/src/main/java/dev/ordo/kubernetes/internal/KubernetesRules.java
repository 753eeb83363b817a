package dev.ordo.kubernetes.internal;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.OrdoException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule set the export and the live backend share: what Kubernetes would refuse ({@link ApiServerRules}),
 * names it could not tell apart once mapped ({@link NameRules}) and settings it cannot express
 * ({@link SettingRules}) are refused together, in one list naming each node and the fix, before anything is
 * written or created; what it does differently is warned about, in the export's header and in the backend's log.
 *
 * <pre>{@code
 * KubernetesRules.check(deployment);                               // throws listing every problem
 * KubernetesRules.warnings(deployment, plan.nodes()).forEach(...); // one line each
 * }</pre>
 */
public final class KubernetesRules {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesRules.class);

    private KubernetesRules() {
    }

    /** Everything Kubernetes cannot run of {@code deployment}, one line each. */
    public static List<String> problems(Deployment deployment) {
        List<String> out = new ArrayList<>(ApiServerRules.problems(deployment));
        out.addAll(NameRules.problems(deployment));
        out.addAll(SettingRules.problems(deployment));
        return out;
    }

    /**
     * Throws naming every problem of {@code deployment} on Kubernetes, with the node at fault and the fix.
     *
     * @throws OrdoException listing the problems
     */
    public static void check(Deployment deployment) {
        List<String> problems = problems(deployment);
        if (!problems.isEmpty()) {
            throw new OrdoException("deployment '" + deployment.name() + "' cannot run on Kubernetes as it is:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** What Kubernetes does differently for {@code nodes} of {@code deployment}, one line each. */
    public static List<String> warnings(Deployment deployment, Collection<? extends Node> nodes) {
        List<String> out = new ArrayList<>(NameRules.warnings(deployment, nodes));
        out.addAll(SettingRules.warnings(deployment, nodes));
        return out;
    }

    /** {@link #check}s {@code deployment} before the backend prepares it, and logs its warnings once. */
    public static void prepare(Deployment deployment) {
        check(deployment);
        for (String w : warnings(deployment, deployment.nodes())) {
            LOG.warn("deployment '{}' on Kubernetes: {}", deployment.name(), w);
        }
    }
}
