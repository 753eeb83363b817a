package dev.ordo.kubernetes.internal;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Optional;

/**
 * The one reading of a Job's conditions that the tracker, {@code observe} and the export's waiters share: Complete
 * means exit code 0, Failed means the Job gave up (with its reason).
 *
 * <pre>{@code
 * if (JobConditions.complete(job)) { ... }
 * }</pre>
 */
final class JobConditions {
    private JobConditions() {
    }

    static boolean complete(Job job) {
        return condition(job, "Complete").isPresent();
    }

    /** The reason (and message) of the Job's Failed condition, when it has one. */
    static Optional<String> failed(Job job) {
        return condition(job, "Failed").map(c -> c.getReason() + (c.getMessage() == null ? "" : " ("
                + c.getMessage() + ")"));
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        return job.getStatus() == null ? Optional.empty() : job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }
}
