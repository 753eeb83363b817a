/**
 * Running plans: {@link dev.ordo.run.Orchestrator} brings plans up and deployments down through a backend and returns a {@link dev.ordo.run.RunReport} with a timeline per node and structured failures.
 *
 * <pre>{@code
 * RunReport report = Orchestrator.using(backend).up(deployment.plan());
 * System.out.println(report.render());
 * }</pre>
 */
package dev.ordo.run;
