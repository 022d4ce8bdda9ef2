package io.palisade.control.service;

import io.palisade.core.event.SecurityEvent;
import io.palisade.detect.Detector;

/**
 * Hands the control plane's events to the detector once there is one: the detector acts through
 * services that record events themselves, so it is created after them and attached here.
 */
public final class DetectorTap {

    private volatile Detector detector;

    public void attach(Detector attached) {
        this.detector = attached;
    }

    public void onEvent(SecurityEvent event) {
        Detector current = detector;
        if (current != null) {
            current.onEvent(event);
        }
    }
}
