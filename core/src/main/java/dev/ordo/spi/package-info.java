/**
 * The backend service-provider interface: what Docker, Kubernetes and the simulated backend implement. Narrow on purpose: the engine in core decides everything; a backend starts, stops, observes and reports.
 *
 * <pre>{@code
 * public final class MyBackend implements Backend { ... }
 * Orchestrator.using(new MyBackend()).up(plan);
 * }</pre>
 */
package dev.ordo.spi;
