package dev.ordo.docker.internal.reaper;

import dev.ordo.OrdoException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM's end of a {@link Reaper}: starts it, and on {@link #release()} tells it the session ended on purpose.
 * If this JVM dies first, the pipe closes without that word and the reaper removes what the session created.
 *
 * <pre>{@code
 * ReaperProcess reaper = ReaperProcess.start(host, session, Optional.empty());
 * ...
 * reaper.release();   // what the session left running stays
 * }</pre>
 */
public final class ReaperProcess {
    private final Process process;
    private final OutputStream pipe;

    private ReaperProcess(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /** Starts a reaper for {@code session} on the engine at {@code host}; its output goes to a file in /tmp. */
    public static ReaperProcess start(URI host, String session, Optional<Path> certPath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        // setsid: out of the JVM's process group, so that a Ctrl-C for the JVM does not stop the reaper too
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Reaper.class.getName(), host.toString(), session));
        certPath.ifPresent(p -> cmd.add(p.toString()));
        try {
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "ordo-reaper-" + session + ".log");
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ReaperProcess(p);
        } catch (IOException e) {
            throw new OrdoException("cannot start Ordo's reaper (" + e.getMessage() + "); without it, containers of"
                    + " this session outlive a crash of this JVM: turn it off with DockerBackend.withoutReaper()", e);
        }
    }

    /** Tells the reaper the session ended on purpose: what it left running stays. */
    public synchronized void release() {
        try {
            pipe.write((Reaper.RELEASE + "\n").getBytes(StandardCharsets.UTF_8));
            pipe.close();
        } catch (IOException e) {
            // the reaper is gone already: nothing will be reaped either way
        }
    }

    /** Whether the reaper process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }
}
