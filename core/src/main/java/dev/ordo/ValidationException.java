package dev.ordo;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown by {@link Deployment.Builder#build()} and by planning when a deployment or a selection is invalid. It
 * lists every problem at once, each naming the thing at fault and the fix.
 *
 * <pre>{@code
 * try {
 *     builder.build();
 * } catch (ValidationException e) {
 *     e.problems().forEach(p -> System.err.println(p.subject() + ": " + p.message()));
 * }
 * }</pre>
 */
public final class ValidationException extends OrdoException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public ValidationException(String deployment, List<Problem> problems) {
        super(render(deployment, problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in a stable order (by subject, then message). */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(String deployment, List<Problem> problems) {
        Objects.requireNonNull(problems, "problems == null");
        String head = "deployment '" + deployment + "' has " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:");
        return problems.stream().map(p -> "  - " + p.message())
                .collect(Collectors.joining("\n", head + "\n", ""));
    }

    /**
     * One thing wrong with a deployment.
     *
     * <pre>{@code
     * new ValidationException.Problem("webui", "service 'webui' depends on 'db-tables', which is not defined")
     * }</pre>
     *
     * @param subject the node, pool, secret or selection at fault
     * @param message a whole sentence that names the subject and says how to fix it
     */
    public record Problem(String subject, String message) {
        public Problem {
            Objects.requireNonNull(subject, "subject == null");
            Objects.requireNonNull(message, "message == null");
        }
    }
}
