package io.palisade.core.rfid;

/**
 * Where a reader stands, in metres on the site's own plan (x, y), so that two sightings of one tag can be judged
 * against the time a person or vehicle needs between them.
 */
public record ReaderLocation(double x, double y) {

    public ReaderLocation {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a reader's location is two finite numbers of metres");
        }
    }

    public double metresTo(ReaderLocation other) {
        return Math.hypot(x - other.x, y - other.y);
    }
}
