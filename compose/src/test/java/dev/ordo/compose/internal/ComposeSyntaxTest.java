package dev.ordo.compose.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compose's small languages: interpolation, command words, durations and env files. */
class ComposeSyntaxTest {
    private final List<String> unset = new ArrayList<>();
    private final Interpolation vars = new Interpolation(Map.of("TAG", "16", "EMPTY", "", "HOST", "db"), unset::add);

    @Test
    void interpolationFollowsCompose() {
        assertThat(vars.apply("postgres:${TAG}")).isEqualTo("postgres:16");
        assertThat(vars.apply("postgres:$TAG-alpine")).isEqualTo("postgres:16-alpine");
        assertThat(vars.apply("${MISSING:-15}|${EMPTY:-dflt}|${EMPTY-dflt}|${MISSING-x}")).isEqualTo("15|dflt||x");
        assertThat(vars.apply("${HOST:+set}|${MISSING:+set}|${EMPTY+set}")).isEqualTo("set||set");
        assertThat(vars.apply("${MISSING:-${HOST}:5432}")).isEqualTo("db:5432");
        assertThat(vars.apply("cost $$5 and $ alone")).isEqualTo("cost $5 and $ alone");
        assertThat(vars.apply("${MISSING}")).isEmpty();
        assertThat(unset).containsExactly("MISSING");
        assertThatThrownBy(() -> vars.apply("${EMPTY:?give a password}"))
                .hasMessage("variable EMPTY is required: give a password");
        assertThatThrownBy(() -> vars.apply("${TAG")).hasMessageContaining("unclosed ${");
        assertThatThrownBy(() -> vars.apply("${TAG/x}")).hasMessageContaining("is not a variable reference");
    }

    @Test
    void commandStringsSplitAsAShellWouldWithoutExpanding() {
        assertThat(ShellWords.split("sh -c 'echo $HOME; exit 1'")).containsExactly("sh", "-c", "echo $HOME; exit 1");
        assertThat(ShellWords.split("a \"b \\\"c\\\"\" d\\ e  ''")).containsExactly("a", "b \"c\"", "d e", "");
        assertThatThrownBy(() -> ShellWords.split("echo 'oops")).hasMessageContaining("unclosed ' quote");
    }

    @Test
    void durationsAsComposeWritesThem() {
        assertThat(ComposeDurations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ComposeDurations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ComposeDurations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ComposeDurations.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(ComposeDurations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ComposeDurations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(ComposeDurations.format(Duration.ofMinutes(1))).isEqualTo("60s");
        assertThatThrownBy(() -> ComposeDurations.parse("soon")).hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> ComposeDurations.parse("5 s")).hasMessageContaining("is not a duration");
    }

    @Test
    void envFilesAsComposeReadsThem(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("app.env"), """
                # a comment
                PLAIN=value # trailing comment
                export EXPORTED=yes
                SINGLE='keep $this # too'
                DOUBLE="two\\nlines"
                EMPTY=
                """);
        assertThat(EnvFile.read(f)).containsExactly(Map.entry("PLAIN", "value"), Map.entry("EXPORTED", "yes"),
                Map.entry("SINGLE", "keep $this # too"), Map.entry("DOUBLE", "two\nlines"), Map.entry("EMPTY", ""));
        Files.writeString(f, "NOT A LINE\n");
        assertThatThrownBy(() -> EnvFile.read(f)).hasMessageContaining("app.env line 1: 'NOT A LINE' is not KEY=VALUE");
    }
}
