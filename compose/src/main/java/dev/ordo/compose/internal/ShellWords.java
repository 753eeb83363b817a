package dev.ordo.compose.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words as Compose does for {@code command: "..."} (POSIX shell quoting, no
 * expansion): single quotes keep everything, double quotes allow {@code \"} and {@code \\}, a backslash outside
 * quotes escapes the next character.
 *
 * <pre>{@code
 * ShellWords.split("sh -c 'echo hi'");   // [sh, -c, echo hi]
 * }</pre>
 */
public final class ShellWords {
    private ShellWords() {
    }

    /**
     * The words of {@code command}.
     *
     * @throws IllegalArgumentException naming the command when a quote is not closed
     */
    public static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
                    w.append(command.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < command.length()) {
                w.append(command.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("command '" + command + "' has an unclosed " + quote + " quote");
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
