package dev.ordo.compose.internal;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Compose's variable interpolation in a string: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset or
 * empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}} (required),
 * {@code ${VAR:+alt}} / {@code ${VAR+alt}}, and {@code $$} for a literal dollar. Defaults may hold variables.
 *
 * <pre>{@code
 * new Interpolation(Map.of("TAG", "16"), warn).apply("postgres:${TAG:-15}");   // "postgres:16"
 * }</pre>
 */
public final class Interpolation {
    private final Function<String, String> env;
    private final Consumer<String> unset;

    /** Variables from {@code env}; {@code unset} is told each variable used without a value or default. */
    public Interpolation(Map<String, String> env, Consumer<String> unset) {
        this(env::get, unset);
    }

    /** Variables looked up by {@code env} ({@code null}: unset); {@code unset} is told each one used without value. */
    public Interpolation(Function<String, String> env, Consumer<String> unset) {
        this.env = env;
        this.unset = unset;
    }

    /**
     * {@code text} with its variables replaced.
     *
     * @throws IllegalArgumentException naming the variable and its message, for a required one that is unset,
     *                                  or naming the text for a malformed reference
     */
    public String apply(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closing(text, i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ${ in '" + text + "'; close it, or write $$ for a"
                            + " literal $");
                }
                out.append(braced(text.substring(i + 2, end), text));
                i = end + 1;
            } else {
                int j = i + 1;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                    j++;
                }
                if (j == i + 1) {
                    out.append('$');
                    i++;
                } else {
                    out.append(value(text.substring(i + 1, j)));
                    i = j;
                }
            }
        }
        return out.toString();
    }

    private static int closing(String text, int from) {
        int depth = 1;
        for (int k = from; k < text.length(); k++) {
            if (text.charAt(k) == '{') {
                depth++;
            } else if (text.charAt(k) == '}' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    private String braced(String inner, String text) {
        int k = 0;
        while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
            k++;
        }
        String name = inner.substring(0, k);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'${" + inner + "}' in '" + text + "' names no variable");
        }
        if (k == inner.length()) {
            return value(name);
        }
        boolean colon = inner.charAt(k) == ':';
        int op = colon ? k + 1 : k;
        if (op >= inner.length()) {
            throw new IllegalArgumentException("'${" + inner + "}' in '" + text + "' is not a variable reference");
        }
        char kind = inner.charAt(op);
        String arg = inner.substring(op + 1);
        String v = env.apply(name);
        boolean missing = v == null || colon && v.isEmpty();
        return switch (kind) {
            case '-' -> missing ? apply(arg) : v;
            case '?' -> {
                if (missing) {
                    throw new IllegalArgumentException("variable " + name + " is required: " + (arg.isBlank()
                            ? "set it in the environment or the .env file" : apply(arg)));
                }
                yield v;
            }
            case '+' -> missing ? "" : apply(arg);
            default -> throw new IllegalArgumentException("'${" + inner + "}' in '" + text + "' is not a variable"
                    + " reference; use ${VAR:-default}, ${VAR:?message} or ${VAR:+alternative}");
        };
    }

    private String value(String name) {
        String v = env.apply(name);
        if (v == null) {
            unset.accept(name);
            return "";
        }
        return v;
    }
}
