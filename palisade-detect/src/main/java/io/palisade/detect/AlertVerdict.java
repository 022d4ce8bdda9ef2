package io.palisade.detect;

import java.util.Arrays;
import java.util.Locale;

/**
 * An operator's judgement of an alert. False positives raise the evidence the rule needs for that
 * subject; benign findings silence the rule for that subject for a while; true positives are recorded.
 */
public enum AlertVerdict {
    TRUE_POSITIVE, FALSE_POSITIVE, BENIGN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AlertVerdict parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.wireName().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("a verdict is true-positive, false-positive or"
                        + " benign, not '" + text + "'"));
    }
}
