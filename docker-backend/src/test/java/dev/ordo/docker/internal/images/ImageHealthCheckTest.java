package dev.ordo.docker.internal.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an image's HEALTHCHECK test becomes the argv Ordo probes (no engine needed). */
class ImageHealthCheckTest {
    @Test
    void theExecFormRunsItsArgvAndTheShellFormItsScriptWithShAndNoneOrNothingRunsNothing() {
        assertThat(ImageHealthCheck.argv(List.of("CMD", "pg_isready", "-U", "postgres")))
                .containsExactly("pg_isready", "-U", "postgres");
        assertThat(ImageHealthCheck.argv(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1")))
                .containsExactly("/bin/sh", "-c", "curl -f http://localhost/ || exit 1");
        assertThat(ImageHealthCheck.argv(List.of("NONE"))).isEmpty();
        assertThat(ImageHealthCheck.argv(List.of())).isEmpty();
        assertThat(ImageHealthCheck.argv(null)).isEmpty();
        assertThat(ImageHealthCheck.argv(List.of("CMD"))).isEmpty();
        assertThat(ImageHealthCheck.argv(Arrays.asList("SOMETHING", "else"))).isEmpty();
    }
}
