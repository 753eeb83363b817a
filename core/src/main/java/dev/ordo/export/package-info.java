/**
 * Exporters: render a plan as text, Mermaid, Graphviz DOT or JSON. They write text and never run anything.
 *
 * <pre>{@code
 * System.out.println(Export.mermaid(deployment.plan()));
 * }</pre>
 */
package dev.ordo.export;
