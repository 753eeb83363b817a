package dev.ordo.docker.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.Deployment;
import dev.ordo.Node;
import dev.ordo.Secret;
import dev.ordo.SecretRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When Ordo adds its hint to the output of a node that could not read its secret file. */
class SecretHintTest {
    private static Node db(SecretRef ref) {
        return Deployment.builder("shop").secret(Secret.literal("pw", "x"))
                .service("db", s -> s.image("postgres:15").secret(ref)).build().requireNode("db");
    }

    private static final List<String> CANNOT_READ = List.of("starting",
            "error: POSTGRES_PASSWORD_FILE=/run/secrets/pw: cannot read that file");

    @Test
    void aRootOnlyFileNamedInTheOutputOfAFailedRunGetsTheFixLast() {
        List<String> tail = SecretHint.after(db(SecretRef.file("pw")), 1, CANNOT_READ);
        assertThat(tail).hasSize(3).startsWith(CANNOT_READ.toArray(String[]::new));
        assertThat(tail.get(2)).startsWith("ordo: secret 'pw' is mounted at /run/secrets/pw owned by root (0:0)"
                + " with mode 0400; if node 'db' reads it as another user")
                .contains(".secret(SecretRef.file(\"pw\").owner(999, 999))").contains(".mode(0444)");
    }

    @Test
    void noHintForASuccessAFileOthersMayReadOneGivenAwayOrAnOutputThatDoesNotNameIt() {
        assertThat(SecretHint.after(db(SecretRef.file("pw")), 0, CANNOT_READ)).isEqualTo(CANNOT_READ);
        assertThat(SecretHint.after(db(SecretRef.file("pw").mode(0444)), 1, CANNOT_READ)).isEqualTo(CANNOT_READ);
        assertThat(SecretHint.after(db(SecretRef.file("pw").owner(999, 999)), 1, CANNOT_READ))
                .isEqualTo(CANNOT_READ);
        assertThat(SecretHint.after(db(SecretRef.file("pw")), 1, List.of("FATAL: bad config")))
                .containsExactly("FATAL: bad config");
    }
}
