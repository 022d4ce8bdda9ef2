package io.palisade.core.rollout;

/**
 * How far a wave reaches, cumulatively: {@code 10%} means "until 10% of the target set has been
 * offered the update", {@code 25} "until 25 devices have". Waves never shrink, so
 * {@code 1,10%,100%} is a canary, a tenth of the fleet, then everyone.
 */
public record Wave(int count, boolean percent) {

    public Wave {
        if (percent ? count < 1 || count > 100 : count < 1) {
            throw new IllegalArgumentException("a wave is a device count of at least 1 or a percentage from 1% to"
                    + " 100%, not " + count + (percent ? "%" : ""));
        }
    }

    /** Parses {@code 25}, {@code 10%} or {@code all}. */
    public static Wave parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("all")) {
            return new Wave(100, true);
        }
        boolean percent = trimmed.endsWith("%");
        String number = percent ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        try {
            return new Wave(Integer.parseInt(number.trim()), percent);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("wave '" + text + "' is not a count (25), a percentage (10%) or 'all'");
        }
    }

    /** Number of devices of a target set of {@code total} this wave brings the roll-out up to (at least 1). */
    public int reach(int total) {
        int reach = percent ? (int) Math.ceil(total * (count / 100.0)) : count;
        return Math.max(1, Math.min(total, reach));
    }

    @Override
    public String toString() {
        return count + (percent ? "%" : "");
    }
}
