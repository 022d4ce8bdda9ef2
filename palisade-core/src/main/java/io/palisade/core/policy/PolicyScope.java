package io.palisade.core.policy;

import io.palisade.core.device.Names;
import java.util.Locale;

/** Where a {@link TopicPolicy} applies: every device of a profile, or every device of a segment. */
public record PolicyScope(Kind kind, String name) {

    /** The two kinds of scope. */
    public enum Kind {
        PROFILE, SEGMENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PolicyScope {
        Names.requireValid(kind.wireName(), name);
    }

    public static PolicyScope profile(String name) {
        return new PolicyScope(Kind.PROFILE, name);
    }

    public static PolicyScope segment(String name) {
        return new PolicyScope(Kind.SEGMENT, name);
    }

    /** Parses {@code profile} or {@code segment} plus a name, e.g. from an API path. */
    public static PolicyScope of(String kind, String name) {
        return switch (kind) {
            case "profile", "profiles" -> profile(name);
            case "segment", "segments" -> segment(name);
            default -> throw new IllegalArgumentException("policy scope must be 'profile' or 'segment', got '" + kind + "'");
        };
    }

    @Override
    public String toString() {
        return kind.wireName() + " " + name;
    }
}
