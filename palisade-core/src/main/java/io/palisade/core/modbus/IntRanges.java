package io.palisade.core.modbus;

import java.util.ArrayList;
import java.util.List;

/** Whole-number ranges written {@code 1-5,7,10-20}, each within {@code [min, max]}. */
public record IntRanges(List<int[]> ranges) {

    public IntRanges {
        ranges = ranges.stream().map(int[]::clone).toList();
    }

    public static IntRanges parse(String text, int min, int max, String what) {
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String range = part.strip();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-', 1);
            int low;
            int high;
            try {
                low = Integer.parseInt(dash < 0 ? range : range.substring(0, dash).strip());
                high = dash < 0 ? low : Integer.parseInt(range.substring(dash + 1).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + range + "' is not a number or a range such as 10-20");
            }
            if (low < min || high > max || low > high) {
                throw new IllegalArgumentException(what + ": '" + range + "' must lie within " + min + "-" + max
                        + ", low end first");
            }
            ranges.add(new int[] {low, high});
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(what + ": no range given");
        }
        return new IntRanges(ranges);
    }

    /** Whether every number from {@code low} to {@code high} lies within one range. */
    public boolean covers(int low, int high) {
        return ranges.stream().anyMatch(r -> r[0] <= low && high <= r[1]);
    }

    public boolean contains(int value) {
        return covers(value, value);
    }

    @Override
    public String toString() {
        return String.join(",", ranges.stream().map(r -> r[0] == r[1] ? Integer.toString(r[0]) : r[0] + "-" + r[1])
                .toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IntRanges that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
