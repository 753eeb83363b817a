package dev.ordo.kubernetes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: a burst at once, then the rate; never more in a second than both. */
class RequestLimiterTest {
    @Test
    void aBurstGoesAtOnceThenRequestsWaitForTheRate() {
        AtomicLong now = new AtomicLong();
        RequestLimiter l = new RequestLimiter(now::get);
        l.set(10, 5);
        for (int i = 0; i < 5; i++) {
            assertThat(l.reserve()).as("request %d of the burst", i + 1).isZero();
        }
        assertThat(l.reserve()).isEqualTo(100_000_000L);          // the 6th waits a tenth of a second
        assertThat(l.reserve()).isEqualTo(200_000_000L);          // the 7th behind it
        now.addAndGet(10_000_000_000L);                            // ten seconds later the bucket is full again
        int immediate = 0;
        while (l.reserve() == 0) {
            immediate++;
        }
        assertThat(immediate).isEqualTo(5);                        // never more than the burst at once
    }

    @Test
    void atMostBurstPlusRateInAnySecond() {
        AtomicLong now = new AtomicLong();
        RequestLimiter l = new RequestLimiter(now::get);
        l.set(30, 20);
        // a client sending as fast as it may for 3 s of the clock: each request goes once its wait has passed
        List<Long> sent = new ArrayList<>();
        while (now.get() < 3_000_000_000L) {
            now.addAndGet(l.reserve());
            sent.add(now.get());
        }
        assertThat(sent).hasSizeGreaterThan(100);
        for (long start : sent) {
            long inWindow = sent.stream().filter(t -> t >= start && t < start + 1_000_000_000L).count();
            assertThat(inWindow).isLessThanOrEqualTo(20 + 30);
        }
    }
}
