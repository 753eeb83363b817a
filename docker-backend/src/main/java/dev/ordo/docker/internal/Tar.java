package dev.ordo.docker.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal POSIX ustar writer: enough for the Docker API's archive uploads (secrets) and image imports (the
 * stand-in image). Written here rather than pulled in because docker-java only carries commons-compress
 * transitively, and a 512-byte header format does not justify a declared dependency.
 *
 * <pre>{@code
 * byte[] tar = new Tar().file("run/secrets/db", 0400, bytes).finish();
 * }</pre>
 */
public final class Tar {
    private static final int BLOCK = 512;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final long mtime = System.currentTimeMillis() / 1000;

    /** Adds a regular file owned by root. */
    public Tar file(String path, int mode, byte[] content) {
        return file(path, mode, 0, 0, content);
    }

    /** Adds a regular file owned by user {@code uid} and group {@code gid}. */
    public Tar file(String path, int mode, int uid, int gid, byte[] content) {
        header(path, mode, uid, gid, content.length, '0', "");
        out.writeBytes(content);
        pad(content.length);
        return this;
    }

    /** Adds a directory owned by root. */
    public Tar directory(String path, int mode) {
        header(path.endsWith("/") ? path : path + "/", mode, 0, 0, 0, '5', "");
        return this;
    }

    /** Adds a symbolic link. */
    public Tar symlink(String path, String target) {
        header(path, 0777, 0, 0, 0, '2', target);
        return this;
    }

    /** Ends the archive and returns its bytes. */
    public byte[] finish() {
        out.writeBytes(new byte[BLOCK * 2]);
        return out.toByteArray();
    }

    private void header(String path, int mode, int uid, int gid, long size, char type, String link) {
        byte[] h = new byte[BLOCK];
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length > 100) {
            throw new IllegalArgumentException("tar path longer than 100 bytes: " + path);
        }
        System.arraycopy(name, 0, h, 0, name.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        byte[] l = link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(l, 0, h, 157, Math.min(l.length, 100));
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        // The checksum is computed with its own field read as spaces.
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        out.writeBytes(h);
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - s.length())) + s;
        byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, length - 1);
        h[offset + length - 1] = 0;
    }

    private void pad(long size) {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
    }
}
