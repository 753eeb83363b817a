package dev.ordo.internal;

import java.util.Collection;

/** "Did you mean" suggestions for names that are not defined, by edit distance and shared prefix. */
public final class Names {
    private Names() {
    }

    /**
     * "; did you mean 'x'?" for the closest candidate: within a small edit distance, or sharing most of the name
     * as a prefix (so that 'db-tables' finds 'db-table-creator'); else "".
     */
    public static String didYouMean(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String bestPrefix = null;
        int bestPrefixLength = 0;
        for (String c : candidates) {
            int d = distance(name, c, bestDistance);
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
        if (best != null && bestDistance <= Math.max(2, name.length() / 3)) {
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
