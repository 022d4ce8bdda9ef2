package io.palisade.control.service;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The change field of a throttle notice between instances: {@code FACTORx until INSTANT}, e.g.
 * {@code 10x until 2026-12-04T14:40:00Z}. Parsed strictly: a notice comes off a shared topic.
 *
 * @param factor how much the device's quota is cut (1/factor is left), 1 to 1,000
 * @param until  when the cut ends
 */
record ThrottleChange(double factor, Instant until) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,4}(?:\\.\\d{1,3})?)x until (\\S{1,40})");

    ThrottleChange {
        if (!(factor >= 1 && factor <= 1000)) {
            throw new IllegalArgumentException("a throttle factor must be 1 to 1000, not " + factor);
        }
    }

    static String format(double factor, Instant until) {
        return (factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor)) + "x until "
                + until;
    }

    static ThrottleChange parse(String change) {
        if (change == null) {
            throw new IllegalArgumentException("a throttle notice needs a change");
        }
        Matcher matcher = FORM.matcher(change);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a throttle notice says 'FACTORx until INSTANT'");
        }
        try {
            return new ThrottleChange(Double.parseDouble(matcher.group(1)), Instant.parse(matcher.group(2)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + matcher.group(2) + "' is not an instant");
        }
    }
}
