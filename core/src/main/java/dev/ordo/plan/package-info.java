/**
 * Planning: a {@link dev.ordo.plan.Plan} is the selected nodes of a deployment in start order, with edges, waves, teardown waves and critical paths; a {@link dev.ordo.plan.Selection} picks profiles and target nodes.
 *
 * <pre>{@code
 * Plan plan = deployment.plan(Selection.profiles("native-query").withTargets("webui"));
 * plan.waves().forEach(System.out::println);
 * }</pre>
 */
package dev.ordo.plan;
