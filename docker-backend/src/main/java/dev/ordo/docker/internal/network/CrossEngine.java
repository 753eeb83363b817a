package dev.ordo.docker.internal.network;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one engine's containers of a deployment reach the deployment's nodes on other engines: a host entry per
 * remote node (its name resolves to the address of the engine it runs on, as seen from here), and every container
 * port published under its own number, so that {@code name:port} works from every engine as it does on one network.
 * Names on the same engine are not listed: the deployment's network resolves them.
 *
 * <pre>{@code
 * new CrossEngine(true, Map.of("mongodb", "172.30.0.1"));   // mongodb runs on another engine of this machine
 * }</pre>
 *
 * @param publishPorts whether container ports are published under their own number (the deployment spans engines)
 * @param hosts        remote node name -> address
 */
public record CrossEngine(boolean publishPorts, Map<String, String> hosts) {
    /** A deployment on one engine. */
    public static final CrossEngine NONE = new CrossEngine(false, Map.of());

    public CrossEngine {
        hosts = Collections.unmodifiableMap(new TreeMap<>(hosts));
    }

    /** The entries in Docker's {@code --add-host} form, {@code name:address}. */
    public List<String> extraHosts() {
        return hosts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList();
    }
}
