package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Hostile deployments under 1,000 nodes ({@link HostileDeployments}): {@code build()} and {@code plan()} accept
 * them or throw a {@link ValidationException} whose every message is short and quotes no name uncut — a name of
 * 54,000 characters is one short problem. The slowest build+plan is printed, not asserted (timings are
 * {@code bench/run.sh --hostile}'s).
 */
class HostileInputProperties {
    private static final Pattern UNCUT = Pattern.compile("(.)\\1{99}");
    private static final AtomicLong SLOWEST_NANOS = new AtomicLong();
    private static final AtomicLong LONGEST_MESSAGE = new AtomicLong();

    @Property(tries = 300, seed = "20261207")
    void hostileInputIsRefusedBrieflyOrAccepted(@ForAll long seed) {
        Random r = new Random(seed);
        Deployment.Builder b = HostileDeployments.of(r);
        long t0 = System.nanoTime();
        try {
            b.build().plan(Selection.allProfiles());
        } catch (ValidationException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.message()).hasSizeLessThan(1_500).doesNotMatch(".*" + UNCUT.pattern() + ".*");
                LONGEST_MESSAGE.accumulateAndGet(p.message().length(), Math::max);
            });
        } finally {
            SLOWEST_NANOS.accumulateAndGet(System.nanoTime() - t0, Math::max);
        }
    }

    @AfterContainer
    static void print() {
        System.out.printf("hostile input: slowest build+plan %d ms, longest problem %d characters%n",
                SLOWEST_NANOS.get() / 1_000_000, LONGEST_MESSAGE.get());
    }
}
