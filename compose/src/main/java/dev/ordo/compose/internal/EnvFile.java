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
 * quotes (with shell escapes such as {@code \n}, {@code \$} and {@code \0NNN}, and spanning lines), unquoted values
 * cut at {@code " #"}; a bare {@code KEY} takes the value from the environment. Unquoted and double-quoted values
 * are interpolated ({@code B=${A:-x}-y}) with the environment, then the file's earlier variables (compose-go's
 * dotenv); in a {@code .env} a variable the environment sets keeps the environment's value, as Compose's does.
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
        parse(text(file), file.toString(), environment, false, out);
        return out;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read env file " + file + " (" + e.getMessage() + "); create"
                    + " it, or mark it optional (env_file: [{path: ..., required: false}])", e);
        }
    }

    /**
     * The variables of {@code file}, in order; {@code environment} gives a variable's value or {@code null}.
     *
     * @throws IllegalArgumentException naming the file and line when it cannot be read or a statement is malformed
     */
    public static Map<String, String> read(Path file, Function<String, String> environment) {
        return parse(text(file), file.toString(), environment);
    }

    /** The variables of {@code text}, named {@code name} in messages; the environment wins over the file. */
    public static Map<String, String> parse(String text, String name, Function<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        parse(text, name, environment, true, out);
        return out;
    }

    private static void parse(String text, String name, Function<String, String> environment,
                              boolean environmentWins, Map<String, String> out) {
        // as compose-go's dotenv: a variable is looked up in the environment first, then among the file's own
        // earlier values (so A=1, B=${A} gives B the environment's A when it has one)
        Interpolation interpolation = new Interpolation(k -> {
            String v = environment.apply(k);
            return v != null ? v : out.get(k);
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
            if (text.startsWith("export", i) && i + 6 < n && isBlank(text.charAt(i + 6))) {
                i += "export".length();
                while (i < n && isBlank(text.charAt(i))) {
                    i++;
                }
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != ':' && text.charAt(i) != '\n') {
                i++;
            }
            String key = text.substring(keyStart, i).strip();
            if (key.isEmpty() || !key.matches("[\\p{L}\\p{N}_.\\[\\]-]+")) {
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
            while (i < n && isBlank(text.charAt(i))) {
                i++;
            }
            String value;
            char q = i < n ? text.charAt(i) : 0;
            if (q == '\'' || q == '"') {
                // godotenv's scan: a backslash is kept with the character it escapes, except before the quote
                StringBuilder chars = new StringBuilder();
                boolean escaped = false;
                int close = -1;
                for (int k = i + 1; k < n; k++) {
                    char c = text.charAt(k);
                    if (c != q) {
                        if (!escaped && c == '\\') {
                            escaped = true;
                            continue;
                        }
                        if (escaped) {
                            escaped = false;
                            chars.append('\\');
                        }
                        chars.append(c);
                    } else if (escaped) {
                        escaped = false;
                        chars.append(c);
                    } else {
                        close = k;
                        break;
                    }
                }
                if (close < 0) {
                    throw new IllegalArgumentException(name + " line " + line + ": unterminated quoted value: the value"
                            + " of " + key + " opens a " + (q == '"' ? "double" : "single") + " quote that is never"
                            + " closed; close it");
                }
                value = chars.toString();
                if (q == '"') {
                    value = interpolate(interpolation, unescape(value), name, line, key);
                }
                i = close + 1; // what follows the quote is the next statement (or a comment)
            } else {
                int end = lineEnd(text, i);
                value = text.substring(i, end);
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment);
                }
                value = interpolate(interpolation, value.stripTrailing(), name, line, key);
                i = end;
            }
            String fromEnvironment = environmentWins ? environment.apply(key) : null;
            out.put(key, fromEnvironment != null ? fromEnvironment : value);
        }
    }

    /** A blank within a line, as godotenv's isSpace: not a line break. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u00A0';
    }

    private static String interpolate(Interpolation interpolation, String value, String name, int line, String key) {
        try {
            return interpolation.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " line " + line + " (" + key + "): " + e.getMessage(), e);
        }
    }

    /**
     * The escapes of a double-quoted value, as compose-go's dotenv expands them: {@code \a \b \f \n \r \t \v},
     * {@code \"}, {@code \\}, {@code \$} (a literal dollar, not a variable) and the octal {@code \0NNN}; any
     * other backslash ({@code \x07}, a unicode escape) stays as written.
     */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c != '\\' || k + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char next = s.charAt(k + 1);
            switch (next) {
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append('\u000B');
                case '"', '\\' -> b.append(next);
                case '$' -> b.append("$$"); // left to interpolation as a literal dollar
                case '0' -> {
                    int end = k + 2;
                    while (end < s.length() && end < k + 5 && Character.isDigit(s.charAt(end))) {
                        end++;
                    }
                    String digits = s.substring(k + 2, end);
                    if (digits.matches("[0-7]{3}")) {
                        b.append((char) Integer.parseInt(digits, 8));
                    } else {
                        b.append('\\').append(digits); // as compose-go: \0 dropped, no character made
                    }
                    k = end - 1;
                    continue;
                }
                default -> b.append(c).append(next);
            }
            k++;
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
