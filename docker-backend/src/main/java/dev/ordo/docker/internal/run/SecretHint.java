package dev.ordo.docker.internal.run;

import dev.ordo.Node;
import dev.ordo.SecretRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A line Ordo adds to the output of a container that exited with an error after naming one of its secret files that
 * only root may read: a secret file is owned by root with mode 0400 unless the node says otherwise, and a server
 * that drops to its own user before reading it (PostgreSQL's {@code POSTGRES_PASSWORD_FILE}, MariaDB's, ...) cannot.
 * The server's own words name the file; this line names Ordo's fix. It comes last, so that the one-line failure,
 * which quotes the last line, says it; the server's words stay in the output above it.
 *
 * <pre>{@code
 * List<String> tail = SecretHint.after(node, 1, List.of("error: POSTGRES_PASSWORD_FILE=/run/secrets/pw: cannot read"));
 * // ..., "ordo: secret 'pw' is mounted at /run/secrets/pw owned by 0:0 with mode 0400, ..."
 * }</pre>
 */
final class SecretHint {
    private SecretHint() {
    }

    /** {@code tail}, plus the hint when the exit is an error and the tail names a secret file others cannot read. */
    static List<String> after(Node node, int exitCode, List<String> tail) {
        if (exitCode == 0) {
            return tail;
        }
        for (SecretRef ref : node.container().secrets()) {
            boolean rootOnly = ref.uid() == 0 && ref.gid() == 0 && (ref.mode() & 0004) == 0;
            if (ref.isEnvironment() || !rootOnly || tail.stream().noneMatch(line -> line.contains(ref.path()))) {
                continue;
            }
            List<String> out = new ArrayList<>(tail);
            out.add("ordo: secret '" + ref.secret() + "' is mounted at " + ref.path() + " owned by root (0:0) with"
                    + " mode 0" + Integer.toOctalString(ref.mode()) + "; if node '" + node.name()
                    + "' reads it as another user (a server that drops to its own), give the secret to that user,"
                    + " e.g. .secret(SecretRef.file(\"" + ref.secret() + "\").owner(999, 999)), or make it"
                    + " readable with .mode(0444)");
            return out;
        }
        return tail;
    }
}
