package dev.ordo.docker;

import dev.ordo.Deployment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in behaviour for the CLP rehearsal ({@link dev.ordo.ClpTopology#rehearsal}) on a real engine: readiness and
 * run delays varied per node but fixed from run to run.
 *
 * <pre>{@code
 * StandIns s = ClpStandIns.standIns(ClpStandIns.delays(clp, Duration.ofMillis(300), Duration.ofMillis(700)));
 * }</pre>
 */
final class ClpStandIns {
    private ClpStandIns() {
    }

    /** Readiness (services) and run (jobs) delays of 1 to 2 s, varied per node but fixed from run to run. */
    static Map<String, Duration> delays(Deployment d, Duration min, Duration max) {
        Map<String, Duration> out = new LinkedHashMap<>();
        long span = max.toMillis() - min.toMillis();
        for (var n : d.nodes()) {
            long h = Math.floorMod(n.name().hashCode(), 1000);
            out.put(n.name(), min.plusMillis(span * h / 999));
        }
        return out;
    }

    static StandIns standIns(Map<String, Duration> delays) {
        StandIns s = StandIns.defaults();
        for (var e : delays.entrySet()) {
            s = s.readyAfter(e.getKey(), e.getValue());
        }
        return s;
    }
}
