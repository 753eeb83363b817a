package dev.ordo;

import dev.ordo.internal.Names;
import dev.ordo.spi.support.DnsNames;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** The validation rules of triggers, each problem naming the trigger and the fix. */
final class TriggerRules {
    private TriggerRules() {
    }

    static void check(List<Node> nodes, List<Trigger> triggers, BiConsumer<String, String> problem,
                      Names.Budget budget) {
        Map<String, Node> byName = new HashMap<>();
        nodes.forEach(n -> byName.putIfAbsent(n.name(), n));
        Set<String> seen = new HashSet<>();
        for (Trigger t : triggers) {
            String what = "trigger '" + Cron.abbreviate(t.name()) + "'";
            if (t.name().length() > DnsNames.LONGEST) {
                // never hashed nor compared: reading 54,000 characters per trigger is what makes validation slow
                problem.accept(t.name(), "trigger name " + Names.quote(t.name()) + " is longer than 63 characters;"
                        + " give it a DNS-1123 label");
                continue;
            }
            if (!seen.add(t.name())) {
                problem.accept(t.name(), what + " is defined twice (a job's .schedule(cron) defines a trigger named"
                        + " after the job); keep one definition or rename one");
            }
            if (!DnsNames.isLabel(t.name())) {
                problem.accept(t.name(), "trigger name '" + Cron.abbreviate(t.name()) + "' is not a DNS-1123 label;"
                        + " use at most 63 lower-case letters, digits and '-', starting and ending alphanumeric");
            }
            checkTarget(t, what, byName, problem, budget);
            t.cron().ifPresent(c -> CronSchedule.problem(c).ifPresent(p -> problem.accept(t.name(), what
                    + " has cron expression '" + Cron.abbreviate(c) + "', which is invalid: " + p)));
            t.every().filter(d -> d.isNegative() || d.isZero()).ifPresent(d -> problem.accept(t.name(), what
                    + " fires every " + d + "; give it a positive interval"));
            t.every().filter(d -> d.compareTo(Validator.LONGEST) > 0).ifPresent(d -> problem.accept(t.name(), what
                    + " fires every " + d + ", longer than 50 years; give it a shorter interval"));
            if (t.keep() < 1) {
                problem.accept(t.name(), what + " keeps " + t.keep() + " run reports; keep at least 1");
            }
            t.concurrencyKey().filter(String::isBlank).ifPresent(k -> problem.accept(t.name(), what
                    + " has an empty concurrency key; give it a name such as the table it works on"));
            t.env().keySet().forEach(k -> checkEnvName(t, what, k, problem));
            Set<String> steps = pipeline(t.target(), byName);
            t.stepEnv().forEach((step, values) -> {
                values.keySet().forEach(k -> checkEnvName(t, what, k, problem));
                if (!steps.isEmpty() && !steps.contains(step)) {
                    problem.accept(t.name(), what + " sets environment for '" + Cron.abbreviate(step) + "', which is not"
                            + " a step of its pipeline" + Names.didYouMean(step, steps, budget) + " (steps: "
                            + String.join(", ", steps) + ")");
                }
            });
        }
    }

    private static void checkTarget(Trigger t, String what, Map<String, Node> byName,
                                    BiConsumer<String, String> problem, Names.Budget budget) {
        if (t.target().isEmpty()) {
            problem.accept(t.name(), what + " has no target; give it the on-demand job to run with .target(\"job\")");
            return;
        }
        Node target = t.target().length() > DnsNames.LONGEST ? null : byName.get(t.target());
        if (target == null) {
            String hint = Names.didYouMean(t.target(), byName.keySet(), budget);
            problem.accept(t.name(), what + " targets '" + Cron.abbreviate(t.target()) + "', which is not defined"
                    + (hint.isEmpty() ? "; define the job with .job(\"" + Cron.abbreviate(t.target())
                    + "\", j -> j.onDemand()...)" : hint));
        } else if (!(target instanceof Job j)) {
            problem.accept(t.name(), what + " targets service '" + target.name() + "'; a trigger runs a job:"
                    + " target an on-demand job instead");
        } else if (!j.isOnDemand()) {
            problem.accept(t.name(), what + " targets job '" + j.name() + "', which runs at start-up; make it"
                    + " on demand with .onDemand() so that only triggers run it");
        }
    }

    private static void checkEnvName(Trigger t, String what, String key, BiConsumer<String, String> problem) {
        if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
            problem.accept(t.name(), what + " sets environment variable '" + Cron.abbreviate(key) + "'; a name must be"
                    + " non-empty and hold neither '=' nor NUL");
        }
    }

    /**
     * The steps of a run of {@code target}: the target and every on-demand job it depends on, transitively through
     * on-demand jobs; empty when the target is not an on-demand job.
     */
    static Set<String> pipeline(String target, Map<String, Node> byName) {
        Set<String> steps = new LinkedHashSet<>();
        Node first = target.length() > DnsNames.LONGEST ? null : byName.get(target);
        if (!(first instanceof Job j) || !j.isOnDemand()) {
            return steps;
        }
        ArrayDeque<Node> work = new ArrayDeque<>(List.of(first));
        while (!work.isEmpty()) {
            Node n = work.poll();
            if (steps.add(n.name())) {
                for (Dependency d : n.dependencies()) {
                    Node dep = byName.get(d.target());
                    if (dep instanceof Job dj && dj.isOnDemand()) {
                        work.add(dep);
                    }
                }
            }
        }
        return steps;
    }
}
