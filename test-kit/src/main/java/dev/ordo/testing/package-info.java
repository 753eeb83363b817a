/**
 * The test kit: {@link dev.ordo.testing.SimulatedBackend} runs the real engine in virtual time with scripted behaviours, and {@link dev.ordo.testing.ReportAssert} makes fluent assertions on the report.
 *
 * <pre>{@code
 * SimulatedBackend sim = SimulatedBackend.create().readyAfter("db", Duration.ofSeconds(20));
 * ReportAssert.assertThat(Orchestrator.using(sim).up(plan)).succeeded().respectsDependencies(plan);
 * }</pre>
 */
package dev.ordo.testing;
