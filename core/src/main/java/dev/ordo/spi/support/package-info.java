/**
 * Helpers for backend authors: what more than one backend needs and is not part of the user-facing API.
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("my-backend"));
 * }</pre>
 */
package dev.ordo.spi.support;
