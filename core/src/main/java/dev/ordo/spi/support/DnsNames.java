package dev.ordo.spi.support;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The naming rules Ordo's names follow, shared with backends that must check or map names of their own.
 *
 * <p>Deployments, nodes, volumes, networks and secrets take the names Compose and Docker take: letters, digits,
 * '_', '.' and '-', starting with a letter or digit, at most 63 characters ({@link #isName}); a compose file's
 * {@code plausible_db} keeps its name, which is the host name other containers use on Docker. Where a platform
 * needs DNS-1123 labels (Kubernetes object names), the backend maps the name with {@link #toLabel}. Pools and
 * triggers are DNS-1123 labels ({@link #isLabel}).
 *
 * <pre>{@code
 * DnsNames.isLabel("clp-prod");      // true
 * DnsNames.isLabel("CLP_prod");      // false
 * DnsNames.isName("plausible_db");   // true
 * DnsNames.toLabel("plausible_db");  // "plausible-db"
 * }</pre>
 */
public final class DnsNames {
    /** The longest name: a DNS label's length, so that a name fits in a host name. */
    public static final int LONGEST = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private DnsNames() {
    }

    /** Whether {@code name} is a DNS-1123 label: at most 63 lower-case letters, digits and '-', alphanumeric at both ends. */
    public static boolean isLabel(String name) {
        return name.length() <= LONGEST && LABEL.matcher(name).matches();
    }

    /**
     * Whether {@code name} is a name as Compose and Docker take it: at most 63 letters, digits, '_', '.' and '-',
     * starting with a letter or digit.
     */
    public static boolean isName(String name) {
        return name.length() <= LONGEST && NAME.matcher(name).matches();
    }

    /**
     * {@code name} as a DNS-1123 label: lower-cased, every character other than a letter, digit or '-' made '-',
     * without '-' at either end, at most 63 characters; itself when it already is one.
     */
    public static String toLabel(String name) {
        if (isLabel(name)) {
            return name;
        }
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (s.length() > LONGEST) {
            s = s.substring(0, LONGEST);
        }
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "x" : s;
    }

    /** The hint for a name that breaks {@link #isName}. */
    public static String nameHint() {
        return "use at most 63 letters, digits, '_', '.' and '-', starting with a letter or digit";
    }
}
