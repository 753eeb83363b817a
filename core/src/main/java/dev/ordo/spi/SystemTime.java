package dev.ordo.spi;

import java.time.Duration;
import java.time.Instant;

/** Wall-clock time for real backends. */
enum SystemTime implements TimeSource {
    INSTANCE;

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void await(Inbox inbox, Instant deadline) throws InterruptedException {
        Duration wait = Duration.between(Instant.now(), deadline);
        // "no deadline" is a far-off instant whose nanoseconds do not fit a long
        long nanos = wait.getSeconds() > 86_400L * 365 ? Long.MAX_VALUE : wait.toNanos();
        if (inbox.isEmpty() && nanos > 0) {
            inbox.awaitNonEmpty(nanos);
        }
    }
}
