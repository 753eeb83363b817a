/**
 * The fabric8-based implementation of the Kubernetes backend and manifest export; not a public API.
 *
 * <pre>{@code
 * HasMetadata workload = ObjectFactory.workload(deployment, node, "clp", "a1b2c3d4");
 * }</pre>
 */
package dev.ordo.kubernetes.internal;
