package io.palisade.core.rollout;

import java.util.List;
import java.util.Objects;

/**
 * What an operator asks for when creating a roll-out.
 *
 * @param target           the image's path in the update repository (a TUF target name, e.g. {@code firmware/sensor-1.1.0.img})
 * @param selector         which devices
 * @param waves            cumulative wave sizes; the last one bounds the roll-out
 * @param successThreshold fraction (0–1] of a wave's devices that must report the image installed before the next wave starts
 * @param errorThreshold   fraction [0–1) of the devices offered the update so far whose failure halts the roll-out
 * @param autoAdvance      whether a successful wave starts the next one by itself, or waits for an operator's approval
 * @param waveDeadline     how long a wave's devices have to finish; those that have not are then counted as
 *                         unreached and the wave is judged without them, so that offline devices cannot hold
 *                         a roll-out "in progress" for ever
 */
public record RolloutSpec(String target, TargetSelector selector, List<Wave> waves, double successThreshold,
                          double errorThreshold, boolean autoAdvance, java.time.Duration waveDeadline) {

    public static final double DEFAULT_SUCCESS_THRESHOLD = 0.9;
    public static final double DEFAULT_ERROR_THRESHOLD = 0.1;
    /** A working day: long enough for devices that check in a few times a day, short enough to be noticed. */
    public static final java.time.Duration DEFAULT_WAVE_DEADLINE = java.time.Duration.ofHours(24);
    public static final java.time.Duration MIN_WAVE_DEADLINE = java.time.Duration.ofSeconds(10);
    public static final java.time.Duration MAX_WAVE_DEADLINE = java.time.Duration.ofDays(90);

    /** With the default wave deadline. */
    public RolloutSpec(String target, TargetSelector selector, List<Wave> waves, double successThreshold,
                       double errorThreshold, boolean autoAdvance) {
        this(target, selector, waves, successThreshold, errorThreshold, autoAdvance, DEFAULT_WAVE_DEADLINE);
    }
    private static final int MAX_TARGET_LENGTH = 255;

    public RolloutSpec {
        Objects.requireNonNull(selector, "selector");
        requireTargetName(target);
        waves = List.copyOf(waves);
        if (waves.isEmpty()) {
            throw new IllegalArgumentException("a roll-out needs at least one wave");
        }
        for (int i = 1; i < waves.size(); i++) {
            if (waves.get(i).percent() == waves.get(i - 1).percent() && waves.get(i).count() <= waves.get(i - 1).count()) {
                throw new IllegalArgumentException("waves are cumulative and must grow: " + waves.get(i - 1)
                        + " is followed by " + waves.get(i));
            }
        }
        if (!(successThreshold > 0 && successThreshold <= 1)) {
            throw new IllegalArgumentException("the success threshold must be above 0 and at most 1, not " + successThreshold);
        }
        if (!(errorThreshold >= 0 && errorThreshold < 1)) {
            throw new IllegalArgumentException("the error threshold must be at least 0 and below 1, not " + errorThreshold);
        }
        Objects.requireNonNull(waveDeadline, "waveDeadline");
        if (waveDeadline.compareTo(MIN_WAVE_DEADLINE) < 0 || waveDeadline.compareTo(MAX_WAVE_DEADLINE) > 0) {
            throw new IllegalArgumentException("the wave deadline must be between " + MIN_WAVE_DEADLINE.toSeconds()
                    + " seconds and " + MAX_WAVE_DEADLINE.toDays() + " days, not " + waveDeadline.toSeconds() + " seconds");
        }
    }

    /**
     * Target names are relative paths of the update repository: no empty, {@code .} or {@code ..}
     * segments, no leading slash, printable ASCII, so that a name cannot escape the repository on the
     * device or be confused in a log.
     */
    static void requireTargetName(String target) {
        if (target == null || target.isEmpty() || target.length() > MAX_TARGET_LENGTH) {
            throw new IllegalArgumentException("the target must name an image of the update repository (1 to "
                    + MAX_TARGET_LENGTH + " characters)");
        }
        for (char c : target.toCharArray()) {
            if (c < 0x21 || c > 0x7e || c == '\\') {
                throw new IllegalArgumentException("target '" + target + "' contains a character other than printable"
                        + " ASCII without spaces or backslashes");
            }
        }
        for (String segment : target.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("target '" + target + "' is not a relative path of the repository");
            }
        }
    }
}
