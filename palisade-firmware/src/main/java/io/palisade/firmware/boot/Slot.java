package io.palisade.firmware.boot;

/** The two image slots of an A/B device. */
public enum Slot {
    A, B;

    public Slot other() {
        return this == A ? B : A;
    }
}
