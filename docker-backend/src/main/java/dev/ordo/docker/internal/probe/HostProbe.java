package dev.ordo.docker.internal.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;

/**
 * An http or tcp check probed once from this process, at a container's address: an HTTP GET that passes on a 2xx or
 * 3xx answer (redirects are not followed), or a TCP connect. It says too whether the address could not be reached at
 * all (no route, or no answer before the timeout), as opposed to a refused connection: then the container must be
 * probed from inside.
 *
 * <pre>{@code
 * HostProbe.Outcome o = HostProbe.http("172.18.0.5", 8080, "/health", Duration.ofSeconds(1));
 * if (o.noRoute()) { ... probe inside the container ... }
 * }</pre>
 */
final class HostProbe {
    /** What one probe found: whether it passed, what to report, whether the address is unreachable from here. */
    record Outcome(boolean ok, String output, boolean noRoute) {
    }

    private HostProbe() {
    }

    static Outcome http(String ip, int port, String path, Duration timeout) {
        HttpURLConnection conn = null;
        int millis = millis(timeout);
        try {
            conn = (HttpURLConnection) new URL("http", ip, port, path).openConnection();
            conn.setConnectTimeout(millis);
            conn.setReadTimeout(millis);
            conn.setInstanceFollowRedirects(false);
            int code = conn.getResponseCode();
            return new Outcome(code >= 200 && code < 400, "HTTP " + code + " from GET " + path, false);
        } catch (ConnectException e) {
            return failed(e, "connection refused on port " + port);
        } catch (IOException e) {
            return failed(e, e.toString());
        } finally {
            if (conn != null) {
                conn.disconnect();
            }
        }
    }

    static Outcome tcp(String ip, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), millis(timeout));
            return new Outcome(true, "connected to port " + port, false);
        } catch (ConnectException e) {
            return failed(e, "connection refused on port " + port);
        } catch (IOException e) {
            return failed(e, e.toString());
        }
    }

    private static Outcome failed(IOException e, String output) {
        boolean noRoute = e instanceof NoRouteToHostException || e instanceof SocketTimeoutException
                || (e instanceof ConnectException && e.getMessage() != null && !e.getMessage().contains("refused"));
        return new Outcome(false, output, noRoute);
    }

    private static int millis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }
}
