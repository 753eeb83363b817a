package dev.ordo.compose.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@code .env} / {@code env_file} file read as Compose reads it: {@code KEY=VALUE} (or {@code KEY: VALUE})
 * statements, {@code #} comment lines, an optional {@code export}, values in single quotes (literal) or double
 * quotes (with {@code \n} and {@code \r} escapes, and spanning lines), unquoted values cut at {@code " #"}; a bare
 * {@code KEY} takes the value from the environment. Unquoted and double-quoted values are interpolated
 * ({@code B=${A:-x}-y}) with the file's earlier variables, then the environment; a variable the environment sets
 * keeps the environment's value, as Compose's does.
 *
 * <pre>{@code
 * Map<String, String> vars = EnvFile.read(Path.of(".env"), System.getenv()::get);
 * }</pre>
 */
public final class EnvFile {
    private EnvFile() {
    }

    /** The variables of {@code file}, read without an environment. */
    public static Map<String, String> read(Path file) {
        return read(file, k -> null);
    }

    /**
     * The variables of a service's {@code env_file}: interpolated as a {@code .env} is, but a value the file sets
     * is kept even when the environment sets the same variable (Compose's rule for {@code env_file}).
     */
    public static Map<String, String> readServiceFile(Path file, Function<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read env file " + file + " (" + e.getMessage() + "); create"
                    + " it, or mark it optional (env_file: [{path: ..., required: false}])", e);
        }
        parse(text, file.toString(), environment, false, out);
        return out;
    }

    /**
     * The variables of {@code file}, in order; {@code environment} gives a variable's value or {@code null}.
     *
     * @throws IllegalArgumentException naming the file and line when it cannot be read or a statement is malformed
     */
    public static Map<String, String> read(Path file, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read env file " + file + " (" + e.getMessage() + "); create"
                    + " it, or mark it optional (env_file: [{path: ..., required: false}])", e);
        }
        return parse(text, file.toString(), environment);
    }

    /** The variables of {@code text}, named {@code name} in messages; the environment wins over the file. */
    public static Map<String, String> parse(String text, String name, Function<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        parse(text, name, environment, true, out);
        return out;
    }

    private static void parse(String text, String name, Function<String, String> environment,
                              boolean environmentWins, Map<String, String> out) {
        Interpolation interpolation = new Interpolation(k -> {
            String v = out.get(k);
            return v != null ? v : environment.apply(k);
        }, unset -> { });
        int i = 0;
        int n = text.length();
        while (i < n) {
            // the start of the next statement: skip blanks and comment lines
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            if (text.charAt(i) == '#') {
                i = lineEnd(text, i);
                continue;
            }
            int line = lineOf(text, i);
            if (text.startsWith("export ", i) || text.startsWith("export\t", i)) {
                i += "export".length();
                while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                    i++;
                }
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ':' && text.charAt(i) != '\n') {
                i++;
            }
            String key = text.substring(keyStart, i).strip();
            if (key.isEmpty() || !key.matches("[\\p{L}\\p{N}_.-]+")) {
                throw new IllegalArgumentException(name + " line " + line + ": '" + cut(text.substring(keyStart,
                        lineEnd(text, keyStart))) + "' is not KEY=VALUE (a name of letters, digits, '_', '.')");
            }
            if (i >= n || text.charAt(i) == '\n') {
                String inherited = environment.apply(key); // a bare KEY takes the environment's value
                if (inherited != null) {
                    out.put(key, inherited);
                }
                continue;
            }
            i++; // '=' or ':'
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            String value;
            char q = i < n ? text.charAt(i) : 0;
            if (q == '\'' || q == '"') {
                int close = closingQuote(text, i, q);
                if (close < 0) {
                    throw new IllegalArgumentException(name + " line " + line + ": the value of " + key + " opens a "
                            + (q == '"' ? "double" : "single") + " quote that is never closed; close it");
                }
                value = text.substring(i + 1, close);
                if (q == '"') {
                    value = interpolate(interpolation, unescape(value), name, line, key);
                }
                i = lineEnd(text, close);
            } else {
                int end = lineEnd(text, i);
                value = text.substring(i, end);
                int comment = inlineComment(value);
                if (comment >= 0) {
                    value = value.substring(0, comment);
                }
                value = interpolate(interpolation, value.strip(), name, line, key);
                i = end;
            }
            String fromEnvironment = environmentWins ? environment.apply(key) : null;
            out.put(key, fromEnvironment != null ? fromEnvironment : value);
        }
    }

    private static String interpolate(Interpolation interpolation, String value, String name, int line, String key) {
        try {
            return interpolation.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " line " + line + " (" + key + "): " + e.getMessage(), e);
        }
    }

    /** Where an unquoted value's comment starts: a '#' after whitespace. */
    private static int inlineComment(String value) {
        for (int k = 1; k < value.length(); k++) {
            if (value.charAt(k) == '#' && Character.isWhitespace(value.charAt(k - 1))) {
                return k;
            }
        }
        return -1;
    }

    private static int closingQuote(String text, int open, char q) {
        for (int k = open + 1; k < text.length(); k++) {
            if (text.charAt(k) == q && text.charAt(k - 1) != '\\') {
                return k;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char next = s.charAt(k + 1);
                switch (next) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case '"', '\\' -> b.append(next);
                    default -> b.append(c).append(next);
                }
                k++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    private static int lineOf(String text, int at) {
        int line = 1;
        for (int k = 0; k < at; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }
}
