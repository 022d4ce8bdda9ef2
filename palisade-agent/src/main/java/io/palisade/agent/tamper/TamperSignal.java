package io.palisade.agent.tamper;

import io.palisade.core.tamper.TamperSensor;

/** What a sensor saw, before it is numbered and signed. */
public record TamperSignal(TamperSensor sensor, String name, String detail) {
}
