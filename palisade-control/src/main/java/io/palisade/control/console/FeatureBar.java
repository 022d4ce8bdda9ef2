package io.palisade.control.console;

/**
 * One feature of an alert drawn against its cohort's normal range: positions on a bar {@value #WIDTH} pixels wide,
 * on a log scale (features span rates of 0.01/s to sizes of 10^6 bytes), from 0 to a little beyond the larger of the
 * value and the range's top.
 */
public record FeatureBar(String name, double value, double low, double high, int lowX, int highX, int valueX,
                         boolean outside) {

    public static final int WIDTH = 300;

    static FeatureBar of(String name, double value, double low, double high) {
        double top = Math.log1p(Math.max(Math.max(value, high), 1e-9) * 1.25);
        return new FeatureBar(name, value, low, high, x(low, top), Math.max(x(low, top) + 2, x(high, top)),
                x(value, top), value > high || value < low);
    }

    private static int x(double value, double top) {
        return (int) Math.round(Math.min(1, Math.log1p(Math.max(0, value)) / top) * WIDTH);
    }

    /** Numbers as an operator reads them: 3 significant digits, no exponent for everyday sizes. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value); // "NaN", "Infinity": BigDecimal has no such number
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    public String valueText() {
        return number(value);
    }

    public String rangeText() {
        return number(low) + " – " + number(high);
    }
}
