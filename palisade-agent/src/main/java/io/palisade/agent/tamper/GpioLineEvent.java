package io.palisade.agent.tamper;

/**
 * One GPIO edge as {@code gpiomon --format='%e %o %s %n'} (Debian's libgpiod 1.6 tools) prints it:
 * edge (1 rising, 0 falling), line offset, seconds and nanoseconds of the kernel's timestamp.
 */
public record GpioLineEvent(boolean rising, int offset, long seconds, long nanoseconds) {

    /** The {@code gpiomon} output format this parses. */
    public static final String GPIOMON_FORMAT = "%e %o %s %n";
    private static final int MAX_LINE = 128;

    public static GpioLineEvent parse(String line) {
        if (line.length() > MAX_LINE) {
            throw new IllegalArgumentException("a GPIO event line of " + line.length() + " characters");
        }
        String[] fields = line.trim().split(" +");
        if (fields.length != 4) {
            throw new IllegalArgumentException("a GPIO event needs 'EDGE OFFSET SECONDS NANOSECONDS', got "
                    + fields.length + " fields");
        }
        if (!fields[0].equals("0") && !fields[0].equals("1")) {
            throw new IllegalArgumentException("a GPIO edge is 0 (falling) or 1 (rising), not '" + fields[0] + "'");
        }
        try {
            int offset = Integer.parseInt(fields[1]);
            long seconds = Long.parseLong(fields[2]);
            long nanoseconds = Long.parseLong(fields[3]);
            if (offset < 0 || seconds < 0 || nanoseconds < 0 || nanoseconds >= 1_000_000_000L) {
                throw new IllegalArgumentException("a GPIO event with a negative offset or an impossible timestamp");
            }
            return new GpioLineEvent(fields[0].equals("1"), offset, seconds, nanoseconds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a GPIO event with a field that is not a number");
        }
    }
}
