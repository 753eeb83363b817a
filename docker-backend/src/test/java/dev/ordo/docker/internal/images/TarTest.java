package dev.ordo.docker.internal.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The tar writer's headers, read back field by field as POSIX defines them. */
class TarTest {
    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }

    @Test
    void fileEntryHasNameModeSizeChecksumAndPaddedContent() {
        byte[] content = "hunter2".getBytes(StandardCharsets.UTF_8);
        byte[] tar = new Tar().file("run/secrets/db", 0400, content).finish();
        assertThat(tar.length).isEqualTo(512 + 512 + 1024);
        assertThat(field(tar, 0, 100)).isEqualTo("run/secrets/db");
        assertThat(Integer.parseInt(field(tar, 100, 8), 8)).isEqualTo(0400);
        assertThat(Long.parseLong(field(tar, 124, 12), 8)).isEqualTo(content.length);
        assertThat((char) tar[156]).isEqualTo('0');
        assertThat(field(tar, 257, 6)).isEqualTo("ustar");
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (tar[i] & 0xff);
        }
        assertThat(Long.parseLong(field(tar, 148, 8), 8)).isEqualTo(sum);
        assertThat(Arrays.copyOfRange(tar, 512, 512 + content.length)).isEqualTo(content);
        assertThat(Arrays.copyOfRange(tar, 1024, 2048)).containsOnly(0);
    }

    @Test
    void symlinkDirectoryAndOwnedFileReadBackAsWritten() throws Exception {
        byte[] tar = new Tar().directory("bin", 0755).symlink("bin/sh", "busybox")
                .file("run/secrets/key", 0440, 999, 998, "v".getBytes(StandardCharsets.UTF_8)).finish();
        assertThat(tar.length % 512).isZero();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(tar))) {
            var dir = in.getNextEntry();
            assertThat(dir.getName()).isEqualTo("bin/");
            assertThat(dir.isDirectory()).isTrue();
            assertThat(dir.getMode() & 07777).isEqualTo(0755);
            var link = in.getNextEntry();
            assertThat(link.getName()).isEqualTo("bin/sh");
            assertThat(link.isSymbolicLink()).isTrue();
            assertThat(link.getLinkName()).isEqualTo("busybox");
            var file = in.getNextEntry();
            assertThat(file.getName()).isEqualTo("run/secrets/key");
            assertThat(file.getMode() & 07777).isEqualTo(0440);
            assertThat(file.getLongUserId()).isEqualTo(999);
            assertThat(file.getLongGroupId()).isEqualTo(998);
            assertThat(in.readAllBytes()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void aPathOverUstarsHundredBytesIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Tar().file("x".repeat(101), 0400, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100 bytes");
    }

    @Test
    void staticBusyboxIsRecognisedAndADynamicBinaryIsNot() throws Exception {
        Path jvm = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(StandInImage.isStatic(Files.readAllBytes(jvm))).isFalse();
        assertThat(StandInImage.isStatic("not an elf".getBytes(StandardCharsets.US_ASCII))).isFalse();
        Path busybox = Path.of("/bin/busybox");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(busybox),
                "Debian's busybox-static is not installed (scripts/ensure-docker.sh installs it)");
        assertThat(StandInImage.isStatic(Files.readAllBytes(busybox))).isTrue();
    }
}
