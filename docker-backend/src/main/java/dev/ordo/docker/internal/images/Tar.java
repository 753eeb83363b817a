package dev.ordo.docker.internal.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * An in-memory tar archive for the Docker API's archive uploads (secret files copied into a container on a remote
 * engine) and image imports (the stand-in image), on Commons Compress. Paths stay within ustar's 100 bytes (the
 * validator refuses longer secret paths), so every engine reads the archive the same way.
 *
 * <pre>{@code
 * byte[] tar = new Tar().file("run/secrets/db", 0400, bytes).finish();
 * }</pre>
 */
public final class Tar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, 512, StandardCharsets.UTF_8.name());
    private final Date mtime = new Date();

    /** Adds a regular file owned by root. */
    public Tar file(String path, int mode, byte[] content) {
        return file(path, mode, 0, 0, content);
    }

    /** Adds a regular file owned by user {@code uid} and group {@code gid}. */
    public Tar file(String path, int mode, int uid, int gid, byte[] content) {
        TarArchiveEntry e = entry(path, TarConstants.LF_NORMAL);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setSize(content.length);
        return add(e, content);
    }

    /** Adds a directory owned by root. */
    public Tar directory(String path, int mode) {
        TarArchiveEntry e = entry(path.endsWith("/") ? path : path + "/", TarConstants.LF_DIR);
        e.setMode(mode);
        return add(e, null);
    }

    /** Adds a symbolic link. */
    public Tar symlink(String path, String target) {
        TarArchiveEntry e = entry(path, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0777);
        return add(e, null);
    }

    /** Ends the archive and returns its bytes. */
    public byte[] finish() {
        try {
            out.finish();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    private TarArchiveEntry entry(String path, byte type) {
        if (path.getBytes(StandardCharsets.UTF_8).length > 100) {
            throw new IllegalArgumentException("tar path longer than 100 bytes: " + path);
        }
        TarArchiveEntry e = new TarArchiveEntry(path, type);
        e.setModTime(mtime);
        return e;
    }

    private Tar add(TarArchiveEntry e, byte[] content) {
        try {
            out.putArchiveEntry(e);
            if (content != null) {
                out.write(content);
            }
            out.closeArchiveEntry();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return this;
    }
}
