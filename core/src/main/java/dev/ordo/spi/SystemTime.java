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
        long nanos = Duration.between(Instant.now(), deadline).toNanos();
        if (inbox.isEmpty() && nanos > 0) {
            inbox.awaitNonEmpty(nanos);
        }
    }
}
