package dev.ordo.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" suggestions for names that are not defined, by edit distance and shared prefix, and quoting of
 * names in messages. Both are bounded: no name is compared beyond {@link #LONGEST_COMPARED} characters, a
 * {@link Budget} caps the comparisons of one validation, and a quoted name is cut at {@link #QUOTED} characters, so
 * that no input makes a message long or its making slow.
 */
public final class Names {
    /** Names longer than this are never compared: no valid name is that long, and the cost grows with the square. */
    public static final int LONGEST_COMPARED = 64;
    /** How many characters of a name a message shows before cutting it. */
    public static final int QUOTED = 40;

    private Names() {
    }

    /**
     * A cap on the edit-distance work of one validation: each comparison spends the cells of its table, and once the
     * budget is spent further lookups suggest nothing (the message is still whole, only without the hint).
     */
    public static final class Budget {
        private long cells;

        /** A budget of {@code cells} table cells: 2 million is a few milliseconds. */
        public Budget(long cells) {
            this.cells = cells;
        }

        /** A budget for one validation of a deployment. */
        public static Budget forValidation() {
            return new Budget(2_000_000L);
        }

        boolean spend(long n) {
            cells -= n;
            return cells >= 0;
        }
    }

    /** {@code 'name'}, cut with its length when over {@link #QUOTED} characters: {@code 'aaaa…' (54,000 characters)}. */
    public static String quote(String name) {
        if (name.length() <= QUOTED) {
            return "'" + name + "'";
        }
        return "'" + name.substring(0, QUOTED - 1) + "…' (" + String.format(Locale.ROOT, "%,d",
                name.length()) + " characters)";
    }

    /** {@code name}, cut to {@link #QUOTED} characters with an ellipsis when longer (no quotes, no length). */
    public static String cut(String name) {
        return name.length() <= QUOTED ? name : name.substring(0, QUOTED - 1) + "…";
    }

    /**
     * "; did you mean 'x'?" for the closest candidate: within a small edit distance, or sharing most of the name
     * as a prefix (so that 'db-tables' finds 'db-table-creator'); else "".
     */
    public static String didYouMean(String name, Collection<String> candidates) {
        return didYouMean(name, candidates, new Budget(Long.MAX_VALUE));
    }

    /** As {@link #didYouMean(String, Collection)}, spending {@code budget}; "" once it is spent. */
    public static String didYouMean(String name, Collection<String> candidates, Budget budget) {
        if (name.isEmpty() || name.length() > LONGEST_COMPARED) {
            return "";
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String bestPrefix = null;
        int bestPrefixLength = 0;
        int limit = Math.max(2, name.length() / 3);
        for (String c : candidates) {
            if (c.length() > LONGEST_COMPARED) {
                continue;
            }
            // a comparison costs its table and a fixed part (two arrays, the loop): both are charged
            long cells = Math.abs(name.length() - c.length()) > limit ? 1 : (long) name.length() * c.length() + 64;
            if (!budget.spend(cells)) {
                return "";
            }
            int d = distance(name, c, Math.min(bestDistance, limit));
            if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
                best = c;
                bestDistance = d;
            }
            int p = commonPrefix(name, c);
            if (p > bestPrefixLength || p == bestPrefixLength && bestPrefix != null && c.length() < bestPrefix.length()) {
                bestPrefix = c;
                bestPrefixLength = p;
            }
        }
        if (best != null && bestDistance <= limit) {
            return "; did you mean '" + best + "'?";
        }
        if (bestPrefix != null && bestPrefixLength >= Math.max(3, (name.length() * 2 + 2) / 3)) {
            return "; did you mean '" + bestPrefix + "'?";
        }
        return "";
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** The edit distance between {@code a} and {@code b}, or a value above {@code limit} once it exceeds it. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
