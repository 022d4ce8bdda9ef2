package io.palisade.core.policy;

import java.util.Locale;

/** What a device asks to do with a topic. */
public enum Action {
    PUBLISH, SUBSCRIBE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
