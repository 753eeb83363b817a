package dev.ordo.compose.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .env} / {@code env_file} file: {@code KEY=VALUE} lines, {@code #} comments, blank lines, optional
 * {@code export }, values in single quotes (literal) or double quotes (with {@code \n} escapes).
 *
 * <pre>{@code
 * Map<String, String> vars = EnvFile.read(Path.of(".env"));
 * }</pre>
 */
public final class EnvFile {
    private EnvFile() {
    }

    /**
     * The variables of {@code file}, in order.
     *
     * @throws IllegalArgumentException naming the file and line when it cannot be read or a line is malformed
     */
    public static Map<String, String> read(Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read env file " + file + " (" + e.getMessage() + "); create"
                    + " it, or mark it optional (env_file: [{path: ..., required: false}])", e);
        }
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + " is not KEY=VALUE: '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            } else if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\n", "\n").replace("\\\"", "\"");
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            vars.put(key, value);
        }
        return vars;
    }
}
