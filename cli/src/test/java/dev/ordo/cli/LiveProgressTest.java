package dev.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.run.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

/** The live progress display: lines cut to the terminal's width, redrawn in place, coloured or not. */
class LiveProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void linesAreCutToTheWidthSoThatTheRedrawStaysInPlace() {
        LiveProgress p = new LiveProgress(out, false, Ansi.OFF, TerminalWidth.fixed(40));
        p.onEvent(new RunEvent(RunEvent.Type.STARTING, "database", Duration.ZERO, ""));
        p.onEvent(new RunEvent(RunEvent.Type.FAILED, "database", Duration.ofMillis(1500),
                "health check failed: connection refused on 10.0.0.5:5432 after 30 attempts\nsecond line"));
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.replace(LiveProgress.UP_AND_CLEAR, "").lines().toList();
        assertThat(lines).hasSize(2).allMatch(l -> l.length() <= 39);
        assertThat(lines.get(1)).startsWith("database").endsWith("...");
        // one row, drawn twice: erased once before the second draw
        assertThat(text.split(Pattern.quote(LiveProgress.UP_AND_CLEAR), -1)).hasSize(2);
        assertThat(text).doesNotContain("second line");
    }

    @Test
    void coloursComeFromPicocliAndWrapOnlyTheVisibleText() {
        LiveProgress p = new LiveProgress(out, false, Ansi.ON, TerminalWidth.fixed(200));
        p.onEvent(new RunEvent(RunEvent.Type.STARTED, "api", Duration.ofSeconds(2), ""));
        p.onEvent(new RunEvent(RunEvent.Type.SKIPPED, "worker", Duration.ofSeconds(2), "its dependency failed"));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\u001b[32mapi ").contains("\u001b[2mworker ");
        LiveProgress plain = new LiveProgress(out, false, Ansi.OFF, TerminalWidth.fixed(200));
        bytes.reset();
        plain.onEvent(new RunEvent(RunEvent.Type.STARTED, "api", Duration.ofSeconds(2), ""));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b[");
    }

    @Test
    void controlCharactersAndWideCharactersCannotBreakALine() {
        assertThat(TerminalWidth.fit("a\u001b[2Jb\rc", 80)).isEqualTo("a [2Jb c");
        assertThat(TerminalWidth.fit("日本語のログ", 8)).isEqualTo("日本...");   // 2 columns each
        assertThat(TerminalWidth.fit("short", 80)).isEqualTo("short");
        assertThat(TerminalWidth.fit("exactly-nine", 10)).isEqualTo("exactl...");
        assertThat(TerminalWidth.fixed(5).columns()).isEqualTo(20);             // never narrower than 20
    }
}
