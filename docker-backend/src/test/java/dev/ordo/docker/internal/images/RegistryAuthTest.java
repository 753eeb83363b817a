package dev.ordo.docker.internal.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry credentials from the Docker CLI's config, as docker pull finds them. */
class RegistryAuthTest {
    @TempDir
    Path dir;

    private RegistryAuth auth(String config) throws Exception {
        Files.writeString(dir.resolve("config.json"), config);
        // helpers are scripts in the temp dir, as docker-credential-<name> would be on the PATH
        return new RegistryAuth(dir, h -> List.of(dir.resolve("docker-credential-" + h).toString(), "get"));
    }

    private void helper(String name, String script) throws Exception {
        Path p = dir.resolve("docker-credential-" + name);
        Files.writeString(p, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    private static String decode(String header) {
        return new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
    }

    @Test
    void theRegistryOfAnImageIsItsFirstComponentWhenItLooksLikeAHost() {
        assertThat(RegistryAuth.registryOf("postgres:16")).isEqualTo(RegistryAuth.DOCKER_HUB);
        assertThat(RegistryAuth.registryOf("bitnami/kubectl:1.31")).isEqualTo(RegistryAuth.DOCKER_HUB);
        assertThat(RegistryAuth.registryOf("ghcr.io/y-scope/clp/clp-package:main")).isEqualTo("ghcr.io");
        assertThat(RegistryAuth.registryOf("localhost:5000/app")).isEqualTo("localhost:5000");
    }

    @Test
    void authsGiveUserAndPasswordForTheirRegistryOnly() throws Exception {
        String basic = Base64.getEncoder().encodeToString("ordo:pa55".getBytes(StandardCharsets.UTF_8));
        RegistryAuth a = auth("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + basic + "\"}}}");
        assertThat(decode(a.headerFor("ghcr.io/org/app:1").orElseThrow()))
                .isEqualTo("{\"username\":\"ordo\",\"password\":\"pa55\",\"serveraddress\":\"ghcr.io\"}");
        assertThat(a.headerFor("quay.io/org/app:1")).isEmpty();
        assertThat(a.headerFor("postgres:16")).isEmpty();
    }

    @Test
    void aCredentialHelperIsAskedWithTheRegistryOnItsInput() throws Exception {
        helper("pass", "read r; echo \"{\\\"ServerURL\\\":\\\"$r\\\",\\\"Username\\\":\\\"u-$r\\\","
                + "\\\"Secret\\\":\\\"s3cret\\\"}\"");
        RegistryAuth a = auth("{\"auths\":{},\"credHelpers\":{\"registry.example.com\":\"pass\"}}");
        assertThat(decode(a.headerFor("registry.example.com/app:1").orElseThrow()))
                .contains("\"username\":\"u-registry.example.com\"", "\"password\":\"s3cret\"");
        assertThat(a.headerFor("ghcr.io/app:1")).isEmpty();
    }

    @Test
    void theDefaultStoreServesEveryRegistryAndATokenBecomesAnIdentityToken() throws Exception {
        helper("desktop", "read r; echo '{\"Username\":\"<token>\",\"Secret\":\"tok-123\"}'");
        RegistryAuth a = auth("{\"credsStore\":\"desktop\"}");
        assertThat(decode(a.headerFor("postgres:16").orElseThrow()))
                .isEqualTo("{\"identitytoken\":\"tok-123\",\"serveraddress\":\"" + RegistryAuth.DOCKER_HUB + "\"}");
    }

    @Test
    void aHelperWithoutCredentialsMeansAnAnonymousPullAndAMissingOneIsAnErrorNamingIt() throws Exception {
        helper("empty", "echo 'credentials not found in native keychain'; exit 1");
        assertThat(auth("{\"credsStore\":\"empty\"}").headerFor("postgres:16")).isEmpty();
        assertThatThrownBy(() -> auth("{\"credsStore\":\"nowhere\"}").headerFor("postgres:16"))
                .hasMessageContaining("credential helper 'nowhere'").hasMessageContaining("install it");
    }

    @Test
    void aBrokenConfigIsAnErrorNamingTheFileAndTheFixButNeverACredential() throws Exception {
        assertThatThrownBy(() -> auth("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString("no-colon-s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}")
                .headerFor("ghcr.io/a:1")).hasMessageContaining("docker login ghcr.io")
                .hasMessageNotContaining("no-colon-s3cret");
        assertThatThrownBy(() -> auth("{not json").headerFor("ghcr.io/a:1")).hasMessageContaining("config.json");
    }
}
