package dev.ordo.docker.internal.images;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pull with the registry credentials of the Docker CLI's config ({@link RegistryAuth}). It goes through the raw
 * transport, not docker-java's pull command, whose DEBUG command log prints the command's fields, credentials
 * included. When the HTTP client's own header or wire log is on (DEBUG), which would print the auth header, the
 * credentials are not sent: the pull goes anonymous and a warning says how to turn those loggers down.
 *
 * <pre>{@code
 * if (!AuthenticatedPull.pull(engine.streamsHttp(), "registry.example.com/app:1", progress)) { anonymousPull(); }
 * }</pre>
 */
final class AuthenticatedPull {
    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatedPull.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String[] WIRE_LOGGERS = {"org.apache.hc.client5.http.headers",
            "org.apache.hc.client5.http.wire", "org.apache.hc.client5.http"};

    private AuthenticatedPull() {
    }

    /**
     * Pulls {@code ref} with the credentials configured for its registry and returns true, or returns false when
     * none are configured (or they may not be sent), leaving the pull to the caller.
     */
    static boolean pull(DockerHttpClient streams, String ref, PullProgress progress) {
        Optional<String> auth = RegistryAuth.fromCli(System.getenv()).headerFor(ref);
        if (auth.isEmpty()) {
            return false;
        }
        for (String logger : WIRE_LOGGERS) {
            if (LoggerFactory.getLogger(logger).isDebugEnabled()) {
                LOG.warn("not sending the credentials configured for {} with the pull of {}: logger {} is at DEBUG"
                        + " and would print them; set it to INFO to pull with them", RegistryAuth.registryOf(ref),
                        ref, logger);
                return false;
            }
        }
        int at = ref.indexOf('@');
        int colon = ref.lastIndexOf(':');
        boolean tagged = at < 0 && colon > ref.lastIndexOf('/');
        String path = "/images/create?fromImage=" + enc(tagged ? ref.substring(0, colon) : ref)
                + (tagged ? "&tag=" + enc(ref.substring(colon + 1)) : "");
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST).path(path)
                .putHeader("X-Registry-Auth", auth.get()).build();
        try (DockerHttpClient.Response response = streams.execute(request);
             BufferedReader lines = new BufferedReader(new InputStreamReader(response.getBody(),
                     StandardCharsets.UTF_8))) {
            if (response.getStatusCode() != 200) {
                String body = lines.lines().reduce("", String::concat);
                progress.onError(new DockerException(body.trim(), response.getStatusCode()));
                return true;
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    progress.onNext(JSON.readValue(line, PullResponseItem.class));
                }
            }
            progress.onComplete();
        } catch (IOException e) {
            progress.onError(e);
        }
        return true;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
