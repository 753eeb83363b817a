package dev.ordo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' quantity grammar (apimachinery's resource.Quantity): a decimal number and one suffix, binary
 * ({@code Ki}..{@code Ei}), decimal ({@code n u m k M G T P E}) or an exponent ({@code e3}). Parsed here, not by
 * a client library, so that core needs none and {@code build()} rejects what the API server would.
 */
final class Quantities {
    private static final Pattern QUANTITY =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")));

    private Quantities() {
    }

    /** The value of {@code quantity}, or null when it does not follow the grammar. */
    static BigDecimal parse(String quantity) {
        Matcher m = QUANTITY.matcher(quantity);
        if (!m.matches()) {
            return null;
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            int exponent;
            try {
                exponent = Integer.parseInt(suffix.substring(1));
            } catch (NumberFormatException e) {
                return null;
            }
            return Math.abs(exponent) > 30 ? null : number.scaleByPowerOfTen(exponent);
        }
        return number.multiply(SUFFIX.get(suffix));
    }

    /** {@code quantity} times {@code unit}, rounded up, when set and valid; empty otherwise. */
    static OptionalLong scaled(String quantity, long unit) {
        if (quantity.isEmpty()) {
            return OptionalLong.empty();
        }
        BigDecimal v = parse(quantity);
        if (v == null || v.signum() < 0) {
            return OptionalLong.empty();
        }
        BigDecimal scaled = v.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.CEILING);
        return scaled.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? OptionalLong.empty()
                : OptionalLong.of(scaled.longValueExact());
    }
}
