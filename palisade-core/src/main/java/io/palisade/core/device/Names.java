package io.palisade.core.device;

import java.util.regex.Pattern;

/** Validation of profile and segment names, which become parts of policies and topic templates. */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private Names() {
    }

    /** Returns {@code name} when it is a valid profile or segment name, or throws naming what is wrong. */
    public static String requireValid(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " name " + DeviceId.quoteForError(name)
                    + ": use 1-32 characters from a-z 0-9 _ - starting with a letter or digit");
        }
        return name;
    }
}
