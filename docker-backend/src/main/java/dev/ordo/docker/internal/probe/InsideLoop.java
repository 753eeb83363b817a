package dev.ordo.docker.internal.probe;

import java.time.Duration;
import java.util.List;

/**
 * The shell loop that runs a command check inside the container until it passes, in one exec: one exec per probe
 * would cost the engine a runc invocation and three API calls every {@value #PERIOD_MILLIS} ms.
 *
 * <pre>{@code
 * String script = InsideLoop.script(" 'pg_isready'", Duration.ofSeconds(30));
 * exec(List.of("sh", "-c", script));   // prints its last pause on a pass: see lastPauseMillis
 * }</pre>
 */
final class InsideLoop {
    /** How often the loop runs a check that takes less than a second. */
    static final long PERIOD_MILLIS = 50;

    private InsideLoop() {
    }

    /** {@code argv} quoted for the shell, each word in single quotes, with a space before each. */
    static String quote(List<String> argv) {
        StringBuilder quoted = new StringBuilder();
        for (String a : argv) {
            quoted.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        return quoted.toString();
    }

    /**
     * The loop for the check whose quoted argv is {@code argv}, running for at most {@code left}.
     * Between attempts it pauses {@link #PERIOD_MILLIS}, or, for a check that takes a second or more (a
     * {@code rabbitmq-diagnostics} call costs about a CPU-second), as long as the attempt took: so a costly check
     * never takes more than half a core from the server it waits for. It prints its last pause, in ms, on a pass.
     * It times attempts to the hundredth of a second with {@code /proc/uptime}, read by the shell itself: whole
     * seconds ({@code date +%s}) took a 20 ms {@code pg_isready} that straddled a second for a costly one and paused
     * a whole second. Without {@code /proc/uptime} it pauses the fixed period for a fixed number of rounds.
     */
    static String script(String argv, Duration left) {
        long centis = Math.max(1, (left.toMillis() + 9) / 10);
        long rounds = Math.max(1, left.toMillis() / PERIOD_MILLIS);
        String pause = PERIOD_MILLIS / 1000.0 + "";
        // the uptime in hundredths: "12345.67" -> 1234567 (the kernel prints two decimals)
        String now = "read u _ </proc/uptime; ";
        String hundredths = "${u%.*}${u#*.}";
        return "if read u _ 2>/dev/null </proc/uptime && [ -n \"$u\" ]; then end=$((" + hundredths + " + " + centis
                + ")); p=" + PERIOD_MILLIS + "; while :; do " + now + "a=" + hundredths + ";" + argv
                + " >/dev/null 2>&1 && { echo $p; exit 0; }; " + now + "b=" + hundredths + ";"
                + " [ $b -ge $end ] && exit 1; d=$((b - a)); if [ $d -ge 100 ]; then p=$((d * 10));"
                + " sleep $((d / 100)).$((d / 10 % 10))$((d % 10));"
                + " else p=" + PERIOD_MILLIS + "; sleep " + pause + "; fi; done; fi;"
                + " i=0; while [ $i -lt " + rounds + " ]; do" + argv + " >/dev/null 2>&1 && { echo "
                + PERIOD_MILLIS + "; exit 0; }; i=$((i+1)); sleep " + pause + "; done; exit 1";
    }

    /** The pause the inside loop printed on its pass ({@code exit code 0: 50}), or the fixed period. */
    static long lastPauseMillis(String output) {
        int colon = output.lastIndexOf(':');
        try {
            return colon < 0 ? PERIOD_MILLIS : Long.parseLong(output.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            return PERIOD_MILLIS;
        }
    }
}
