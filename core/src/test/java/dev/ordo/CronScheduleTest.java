package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A schedule that fires the same minutes every day in a zone without daylight saving takes a search in those minutes
 * instead of cron's general rules; both must name the same instant, whatever the instant asked about.
 */
class CronScheduleTest {
    private static final List<String> EVERY_DAY = List.of("0 2 * * *", "*/7 */3 * * *", "5,35 * * * *", "@hourly",
            "* * * * *", "59 23 * * *", "0 0 * * *", "17 */5 * * *", "0-10/4 1-3 * * *");
    private static final List<ZoneId> FIXED = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30),
            ZoneOffset.ofHours(-8), ZoneId.of("Etc/GMT+3"));

    @Test
    void theDailyMinutesAgreeWithCronsRulesForAnyInstant() {
        Random random = new Random(42);
        for (String expression : EVERY_DAY) {
            for (ZoneId zone : FIXED) {
                CronSchedule s = CronSchedule.parse(expression, zone);
                for (int i = 0; i < 500; i++) {
                    long seconds = 946_684_800L + (long) (random.nextDouble() * 1_000_000_000L);
                    Instant after = Instant.ofEpochSecond(seconds, random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000_000));
                    if (random.nextInt(4) == 0) {
                        after = Instant.ofEpochSecond(seconds - seconds % 60); // exactly on a minute
                    }
                    assertThat(s.next(after)).as("%s in %s after %s", expression, zone, after)
                            .isEqualTo(s.nextByRules(after));
                }
            }
        }
    }

    @Test
    void aFireIsStrictlyAfterTheInstantAskedAbout() {
        CronSchedule daily = CronSchedule.parse("0 2 * * *");
        assertThat(daily.next(Instant.parse("2026-03-02T02:00:00Z"))).isEqualTo(Instant.parse("2026-03-03T02:00:00Z"));
        assertThat(daily.next(Instant.parse("2026-03-02T01:59:59.999Z")))
                .isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void aZoneWithDaylightSavingFollowsTheRulesAcrossTheChange() {
        CronSchedule berlin = CronSchedule.parse("30 2 * * *", ZoneId.of("Europe/Berlin"));
        // 2026-03-29 has no 02:30 in Berlin: skipped, the next fire is the day after
        assertThat(berlin.next(Instant.parse("2026-03-28T02:00:00Z"))).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
    }
}
