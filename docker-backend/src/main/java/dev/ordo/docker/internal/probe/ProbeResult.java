package dev.ordo.docker.internal.probe;

/**
 * One probe's result: whether the check passed, and what it said (an exit code and output, an HTTP status, ...).
 *
 * <pre>{@code
 * new ProbeResult(true, "HTTP 200 from GET /health");
 * }</pre>
 */
record ProbeResult(boolean ok, String output) {
}
