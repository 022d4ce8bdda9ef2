package io.palisade.firmware.image;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MCUboot's image version: major.minor.revision+build (8, 8, 16 and 32 bits). */
public record ImageVersion(int major, int minor, int revision, long build) implements Comparable<ImageVersion> {

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:\\+(\\d+))?");

    public ImageVersion {
        if (major < 0 || major > 0xff || minor < 0 || minor > 0xff || revision < 0 || revision > 0xffff
                || build < 0 || build > 0xffffffffL) {
            throw new IllegalArgumentException("version " + major + "." + minor + "." + revision + "+" + build
                    + " does not fit MCUboot's fields (8.8.16+32 bits)");
        }
    }

    public static ImageVersion parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version like 1.2.3 or 1.2.3+4");
        }
        return new ImageVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
    }

    @Override
    public int compareTo(ImageVersion other) {
        int c = Integer.compare(major, other.major);
        c = c != 0 ? c : Integer.compare(minor, other.minor);
        c = c != 0 ? c : Integer.compare(revision, other.revision);
        return c != 0 ? c : Long.compare(build, other.build);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + revision + "+" + build;
    }
}
