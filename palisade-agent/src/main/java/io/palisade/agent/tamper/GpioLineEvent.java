package io.palisade.agent.tamper;

/**
 * One GPIO edge as gpiomon prints it with the formats {@link GpioLines} asks for: libgpiod 1.x (Debian 12)
 * {@code --format='%e %o %s %n'}, edge 1 rising / 0 falling, then seconds and nanoseconds; libgpiod 2.x (the
 * character device's v2 line requests) {@code --format='%e %o %S'}, edge 1 rising / 2 falling, then
 * {@code SECONDS.NANOSECONDS}. The number of fields tells which.
 */
public record GpioLineEvent(boolean rising, int offset, long seconds, long nanoseconds) {

    /** The gpiomon output format of libgpiod 1.x. */
    public static final String GPIOMON_V1_FORMAT = "%e %o %s %n";
    /** The gpiomon output format of libgpiod 2.x. */
    public static final String GPIOMON_V2_FORMAT = "%e %o %S";
    private static final int MAX_LINE = 128;

    public static GpioLineEvent parse(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("a GPIO event line of " + line.length() + " characters");
        }
        String[] fields = line.trim().split(" +");
        if (fields.length == 3) {
            String[] time = fields[2].split("\\.", -1);
            if (time.length != 2) {
                throw new IllegalArgumentException("a libgpiod 2 GPIO event needs SECONDS.NANOSECONDS, not '"
                        + fields[2] + "'");
            }
            if (!fields[0].equals("1") && !fields[0].equals("2")) {
                throw new IllegalArgumentException("a libgpiod 2 GPIO edge is 1 (rising) or 2 (falling), not '"
                        + fields[0] + "'");
            }
            return event(fields[0].equals("1"), fields[1], time[0], time[1]);
        }
        if (fields.length != 4) {
            throw new IllegalArgumentException("a GPIO event needs 'EDGE OFFSET SECONDS NANOSECONDS' (libgpiod 1) or"
                    + " 'EDGE OFFSET SECONDS.NANOSECONDS' (libgpiod 2), got " + fields.length + " fields");
        }
        if (!fields[0].equals("0") && !fields[0].equals("1")) {
            throw new IllegalArgumentException("a GPIO edge is 0 (falling) or 1 (rising), not '" + fields[0] + "'");
        }
        return event(fields[0].equals("1"), fields[1], fields[2], fields[3]);
    }

    private static GpioLineEvent event(boolean rising, String offsetText, String secondsText, String nanosText) {
        try {
            int offset = Integer.parseInt(offsetText);
            long seconds = Long.parseLong(secondsText);
            long nanoseconds = Long.parseLong(nanosText);
            if (offset < 0 || seconds < 0 || nanoseconds < 0 || nanoseconds >= 1_000_000_000L) {
                throw new IllegalArgumentException("a GPIO event with a negative offset or an impossible timestamp");
            }
            return new GpioLineEvent(rising, offset, seconds, nanoseconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a GPIO event with a field that is not a number");
        }
    }
}
