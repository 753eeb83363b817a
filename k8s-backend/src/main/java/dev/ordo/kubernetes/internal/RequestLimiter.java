package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A client-side rate limit on every request Ordo sends to the API server (a token bucket, as client-go's
 * {@code QPS}/{@code Burst}): at most {@code burst} at once, then {@code rate} per second. An API server's
 * priority-and-fairness limits answer HTTP 429 to a client that sends more; at 1,000 nodes an unlimited client
 * did. Default: 100 per second, bursts of 200.
 *
 * <pre>{@code
 * limiter.set(50, 100);   // 50 requests a second, bursts of 100
 * }</pre>
 */
public final class RequestLimiter implements Interceptor {
    public static final double DEFAULT_RATE = 100;
    public static final int DEFAULT_BURST = 200;

    private final LongSupplier clock;
    private double rate = DEFAULT_RATE;
    private double burst = DEFAULT_BURST;
    private double tokens = DEFAULT_BURST;
    private long last;

    public RequestLimiter() {
        this(System::nanoTime);
    }

    /** A limiter on {@code clock} (nanoseconds), for tests. */
    RequestLimiter(LongSupplier clock) {
        this.clock = clock;
        this.last = clock.getAsLong();
    }

    /**
     * Sets the limit.
     *
     * @throws IllegalArgumentException naming the value when the rate is not positive or the burst below 1
     */
    public synchronized void set(double requestsPerSecond, int burstSize) {
        if (!(requestsPerSecond > 0) || burstSize < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1, got "
                    + requestsPerSecond + " per second and a burst of " + burstSize);
        }
        this.rate = requestsPerSecond;
        this.burst = burstSize;
        this.tokens = Math.min(tokens, burst);
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        acquire();
    }

    /** Takes a token, waiting for one when the bucket is empty. */
    void acquire() {
        long wait = reserve();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Takes a token and returns how long (ns) its request must wait for it: 0 while the bucket has tokens. */
    synchronized long reserve() {
        refill();
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
    }

    private void refill() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
    }
}
