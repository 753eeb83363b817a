package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration grammar: Compose's, the runner's former inputs, days and ISO-8601. */
class DurationsTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            // Compose's (Go's) grammar
            "1h30m, PT1H30M", "1m30s, PT1M30S", "90s, PT1M30S", "500ms, PT0.5S", "2us, PT0.000002S",
            "2µs, PT0.000002S", "7ns, PT0.000000007S", "1.5s, PT1.5S", "1.5h, PT1H30M", ".5s, PT0.5S",
            "1h2m3s4ms, PT1H2M3.004S", "0s, PT0S", "10, PT10S", "0, PT0S",
            // the runner's former inputs: whole numbers with ms, s, m, h, d, and ISO-8601
            "5s, PT5S", "10m, PT10M", "2h, PT2H", "3d, PT72H", "1d12h, PT36H", "PT5S, PT5S", "P3D, PT72H",
            "' 30s ', PT30S"})
    void parsesEveryAcceptedForm(String text, String expected) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 s", "1m30", "s", "1x", "1.2.3s", "PT", "m5", "--5s", "5S", "1e3s"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration")
                .hasMessageContaining("write e.g. 90s, 1m30s, 1h30m, 500ms");
    }

    @Test
    void errorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("'-5s' is not a duration (a duration"
                + " is never negative)");
        assertThatThrownBy(() -> Durations.parse("-PT5S")).hasMessageContaining("never negative");
        assertThatThrownBy(() -> Durations.parse("1m30x")).hasMessageContaining("'30x' after '1m' is not a number"
                + " and a unit");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("'' is not a duration (it is empty)");
        assertThatThrownBy(() -> Durations.parse(null)).hasMessageContaining("is not a duration (it is empty)");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999999h")).hasMessageContaining("too long");
    }

    @Property(tries = 500)
    void everySumOfPartsParsesToItsTotal(@ForAll @IntRange(max = 99) int h, @ForAll @IntRange(max = 999) int m,
                                         @ForAll @IntRange(max = 999) int s, @ForAll @IntRange(max = 999) int ms) {
        Duration expected = Duration.ofHours(h).plusMinutes(m).plusSeconds(s).plusMillis(ms);
        assertThat(Durations.parse(h + "h" + m + "m" + s + "s" + ms + "ms")).isEqualTo(expected);
        assertThat(Durations.parse(expected.toString())).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void anyTextParsesOrIsRefusedNamingIt(@ForAll @StringLength(max = 12) String text) {
        try {
            assertThat(Durations.parse(text).isNegative()).isFalse();
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("'" + text + "' is not a duration");
        }
    }
}
