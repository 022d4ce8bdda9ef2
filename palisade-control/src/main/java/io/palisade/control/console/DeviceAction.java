package io.palisade.control.console;

import java.util.Arrays;
import java.util.Optional;

/**
 * The actions the device page offers, each confirmed on a page of its own before it is posted: what the button says,
 * what the confirmation warns, which API route carries it out, and what the notice says afterwards.
 */
enum DeviceAction {
    QUARANTINE("Quarantine", "confine the device to its management channel until released", "quarantine",
            "was quarantined"),
    RELEASE("Release", "return the device to its normal policy", "release", "was released"),
    REVOKE("Revoke", "revoke every certificate of the device; it must enroll again with a new token", "revoke",
            "was revoked"),
    WIPE("Wipe", "order the device to crypto-erase its data and keys (it must enroll again afterwards)", "wipe",
            "was ordered to wipe"),
    REFLASH("Reflash", "order the device to install a trusted firmware target from the repository", "reflash",
            "was ordered to reflash");

    private final String label;
    private final String warning;
    private final String apiVerb;
    private final String done;

    DeviceAction(String label, String warning, String apiVerb, String done) {
        this.label = label;
        this.warning = warning;
        this.apiVerb = apiVerb;
        this.done = done;
    }

    public String label() {
        return label;
    }

    public String warning() {
        return warning;
    }

    /** The path segment of this action, in the console and in the API. */
    public String verb() {
        return apiVerb;
    }

    String done() {
        return done;
    }

    String apiPath(String device) {
        return "/api/v1/devices/" + device + "/" + apiVerb;
    }

    static Optional<DeviceAction> of(String verb) {
        return Arrays.stream(values()).filter(action -> action.apiVerb.equals(verb)).findFirst();
    }
}
