/**
 * Implementation details: validation, graph algorithms (JGraphT), the engine, hashing. Not an API: anything here may change in any release.
 *
 * <pre>{@code
 * // not for use outside Ordo
 * }</pre>
 */
package dev.ordo.internal;
