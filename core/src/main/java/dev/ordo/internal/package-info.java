/**
 * Implementation details with no dependency on the rest of Ordo: graph algorithms over int arrays (JGraphT) and name suggestions. Not an API: anything here may change in any release.
 *
 * <pre>{@code
 * // not for use outside Ordo
 * }</pre>
 */
package dev.ordo.internal;
