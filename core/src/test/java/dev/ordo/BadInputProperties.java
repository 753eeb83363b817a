package dev.ordo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random deployments, mostly wrong: every name, edge, condition, image, port, replica count, duration, cron field,
 * pool, secret and trigger drawn from values that include the empty, the huge, the unicode, the negative and the
 * largest. Whatever the input, {@code build()} and {@code plan()} either accept it or throw a
 * {@link ValidationException} whose problems each name a subject; a fluent method may refuse a value at once with an
 * {@link IllegalArgumentException} or {@link NullPointerException} that names it. Nothing else escapes, and what is
 * accepted can be planned. The slowest case is printed, not asserted.
 */
class BadInputProperties {
    private static final AtomicLong SLOWEST_NANOS = new AtomicLong();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong REFUSED_EARLY = new AtomicLong();

    @Property(tries = 12_000, seed = "20261201")
    void buildAndPlanAcceptOrNameTheOffender(@ForAll long seed) {
        Random r = new Random(seed);
        long t0 = System.nanoTime();
        try {
            Deployment d = RandomDeployments.of(r).build();
            Plan p = d.plan(Selection.allProfiles());
            assertThat(p.nodes()).isNotNull();
            d.plan();
            ACCEPTED.incrementAndGet();
        } catch (ValidationException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(pr -> assertThat(pr.message()).isNotBlank());
            REJECTED.incrementAndGet();
        } catch (OrdoException e) {
            // plan(): a selection naming an unknown profile or target, or a required node a profile disables
            assertThat(e.getMessage()).isNotBlank();
            REJECTED.incrementAndGet();
        } catch (IllegalArgumentException | NullPointerException e) {
            assertThat(e.getMessage()).as("a fluent method's refusal names the value").isNotBlank();
            assertThat(refusedByAFluentMethod(e)).as("thrown by %s", e.getStackTrace()[0]).isTrue();
            REFUSED_EARLY.incrementAndGet();
        } finally {
            SLOWEST_NANOS.accumulateAndGet(System.nanoTime() - t0, Math::max);
        }
    }

    /** Whether {@code e} came from a builder or value factory the user called, not from build() or plan(). */
    private static boolean refusedByAFluentMethod(RuntimeException e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getMethodName().equals("build") && f.getClassName().equals(Deployment.Builder.class.getName())
                    || f.getMethodName().equals("plan") && f.getClassName().equals(Deployment.class.getName())) {
                return false;
            }
        }
        return true;
    }

    @AfterContainer
    static void print() {

        System.out.printf("bad input: %d accepted, %d rejected with named problems, %d refused by a fluent method;"
                + " slowest build+plan %d ms%n", ACCEPTED.get(), REJECTED.get(), REFUSED_EARLY.get(),
                SLOWEST_NANOS.get() / 1_000_000);
    }
}
