package dev.ordo.spi.support;

import java.util.regex.Pattern;

/**
 * The naming rule every Ordo name follows (deployments, nodes, pools, volumes), shared with backends that must
 * check names of their own, such as a Kubernetes namespace.
 *
 * <pre>{@code
 * DnsNames.isLabel("clp-prod");   // true
 * DnsNames.isLabel("CLP_prod");   // false
 * }</pre>
 */
public final class DnsNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private DnsNames() {
    }

    /** Whether {@code name} is a DNS-1123 label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends. */
    public static boolean isLabel(String name) {
        return name.length() <= 63 && LABEL.matcher(name).matches();
    }
}
