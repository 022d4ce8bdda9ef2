package io.palisade.core.rfid;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether a tag was seen where it cannot have been: the same token at two readers further apart than travel at
 * {@code maxSpeed} metres a second allows in the time between the sightings (beyond {@code slack} metres of read
 * range at each end), which means two physical tags carry it — a clone. Pure: the caller supplies the previous
 * sighting and the readers' locations.
 */
public final class CloneCheck {

    /** Brisk walking with a trolley: faster than that between two doors is not one tag moving. */
    public static final double DEFAULT_MAX_SPEED = 3.0;
    /** Read range at each reader: a tag between two close readers is heard by both. */
    public static final double DEFAULT_SLACK_METRES = 10.0;

    private final double maxSpeed;
    private final double slack;

    public CloneCheck(double maxSpeed, double slackMetres) {
        if (!(maxSpeed > 0) || slackMetres < 0) {
            throw new IllegalArgumentException("max speed must be positive and slack not negative");
        }
        this.maxSpeed = maxSpeed;
        this.slack = slackMetres;
    }

    public static CloneCheck defaults() {
        return new CloneCheck(DEFAULT_MAX_SPEED, DEFAULT_SLACK_METRES);
    }

    /** Why the two sightings cannot be one tag, or empty when they can. */
    public Optional<String> impossible(ReaderLocation earlierAt, Duration between, ReaderLocation laterAt) {
        double metres = earlierAt.metresTo(laterAt) - 2 * slack;
        if (metres <= 0) {
            return Optional.empty();
        }
        double seconds = Math.abs(between.toMillis()) / 1000.0;
        double reachable = seconds * maxSpeed;
        if (metres <= reachable) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT, "%.0f m apart (beyond read range) in %.1f s: "
                + "%.0f m/s, faster than %.1f m/s", metres, seconds, seconds == 0 ? Double.POSITIVE_INFINITY
                : metres / seconds, maxSpeed));
    }
}
