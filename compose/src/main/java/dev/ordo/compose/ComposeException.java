package dev.ordo.compose;

import dev.ordo.OrdoException;
import java.util.List;

/**
 * A compose project Ordo cannot run as it is: every problem found, each in Compose's terms with where it stands
 * ({@code compose.yaml:12:5: service 'web': depends_on: 'db' is not a service of this project}) and the fix. The
 * runner exits with 2 for it, as for every input problem.
 *
 * <pre>{@code
 * try {
 *     ComposeFile.at(Path.of("compose.yaml")).load();
 * } catch (ComposeException e) {
 *     e.problems().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class ComposeException extends OrdoException {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    /** An exception for {@code problems} in the project of {@code what} (its files, as the user named them). */
    public ComposeException(String what, List<String> problems) {
        super(what + (problems.size() == 1 ? ": " + problems.get(0) : " cannot be run by Ordo as it is:\n  - "
                + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    /** An exception for one problem, with its cause. */
    public ComposeException(String what, String problem, Throwable cause) {
        super(what + ": " + problem, cause);
        this.problems = List.of(problem);
    }

    /** Every problem, each a whole sentence naming where it stands and the fix. */
    public List<String> problems() {
        return problems;
    }
}
