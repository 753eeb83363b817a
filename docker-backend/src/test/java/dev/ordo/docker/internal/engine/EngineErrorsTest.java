package dev.ordo.docker.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ordo.OrdoException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** How an engine's errors read: its answer's status and body, or a transport that got no answer. */
class EngineErrorsTest {
    @Test
    void anAnswerReadsAsTheMessageOfItsBody() {
        assertThat(EngineErrors.describe(new NotFoundException("{\"message\":\"No such image: \\\"x:1\\\"\"}\n")))
                .isEqualTo("No such image: \"x:1\"");
        assertThat(EngineErrors.describe(new ConflictException("{\"message\":\"name in use\\nby 3f2a\"}")))
                .isEqualTo("name in use by 3f2a");
    }

    @Test
    void anAnswerWithoutJsonReadsAsItsBodyOrItsStatus() {
        assertThat(EngineErrors.describe(new DockerException("page not found\n", 404))).isEqualTo("page not found");
        assertThat(EngineErrors.describe(new DockerException("", 502))).isEqualTo("HTTP 502");
    }

    @Test
    void anAnswerIsNeverAnUnreachableEngineWhateverItSays() {
        // a registry the engine could not reach: the engine itself answered
        assertThat(EngineErrors.unreachable(new InternalServerErrorException("{\"message\":\"Get https://r.example"
                + "/v2/: dial tcp: connect: connection refused\"}"))).isFalse();
    }

    @Test
    void noAnswerIsAnUnreachableEngine() {
        assertThat(EngineErrors.unreachable(new RuntimeException(new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(EngineErrors.unreachable(new RuntimeException(new IOException("native connect() failed: No such"
                + " file or directory")))).isTrue();
        assertThat(EngineErrors.unreachable(new RuntimeException(new NoSuchFileException("/var/run/docker.sock"))))
                .isTrue();
    }

    @Test
    void ordosOwnRefusalOrAMissingFileOfTheUserIsNot() {
        assertThat(EngineErrors.unreachable(new OrdoException("secret file missing", new ConnectException("x"))))
                .isFalse();
        assertThat(EngineErrors.unreachable(new RuntimeException(new NoSuchFileException("/home/me/app.env"))))
                .isFalse();
    }
}
