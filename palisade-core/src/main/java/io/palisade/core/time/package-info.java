/** Time sources: Palisade takes a {@link java.time.Clock} everywhere; {@code ManualClock} drives tests and simulations. */
package io.palisade.core.time;
