package dev.ordo.cli;

import dev.ordo.run.RunEvent;
import dev.ordo.run.RunListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the runner prints: onto picocli's writers (so that {@link OrdoCli#run} can be given any streams), and the
 * plain progress line per event that pipes, files and CI logs get.
 *
 * <pre>{@code
 * PrintStream out = Printing.printer(spec);
 * Orchestrator.using(backend).listener(Printing.progress(out, false)).up(plan);
 * }</pre>
 */
final class Printing {
    private Printing() {
    }

    /** A stream onto the command's standard output writer. */
    static PrintStream printer(CommandSpec spec) {
        return printer(spec.commandLine().getOut());
    }

    /** A stream onto {@code w} for the progress printers, which print with {@link PrintStream}s. */
    static PrintStream printer(PrintWriter w) {
        // bytes are decoded per line, not per byte, so that UTF-8 log lines reach the writer intact
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        return new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                pending.write(b);
                if (b == '\n') {
                    flush();
                }
            }

            @Override
            public synchronized void flush() {
                w.write(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                w.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** One plain line per event (log lines only with {@code logs}), as pipes and CI logs read best. */
    static RunListener progress(PrintStream out, boolean logs) {
        return e -> {
            if (e.type() == RunEvent.Type.LOG && !logs) {
                return;
            }
            out.printf(Locale.ROOT, "[%8.3fs] %-30s %-16s %s%n", e.at().toMillis() / 1000.0, e.node(),
                    e.type().name().toLowerCase(Locale.ROOT).replace('_', ' '), e.detail());
        };
    }
}
