/**
 * Runs Ordo deployments on Kubernetes ({@link dev.ordo.kubernetes.KubernetesBackend}) and renders them as
 * self-ordering manifests ({@link dev.ordo.kubernetes.KubernetesManifests}). No fabric8 type appears in this
 * package's signatures; the client lives in {@code dev.ordo.kubernetes.internal}.
 *
 * <pre>{@code
 * Orchestrator.using(KubernetesBackend.fromKubeConfig()).up(deployment.plan());
 * String yaml = KubernetesManifests.of(deployment.plan()).render();
 * }</pre>
 */
package dev.ordo.kubernetes;
