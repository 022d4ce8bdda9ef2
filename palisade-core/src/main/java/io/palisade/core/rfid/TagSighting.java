package io.palisade.core.rfid;

import io.palisade.core.device.DeviceId;
import java.time.Instant;

/** One reader reporting one tag at one time (the reader is an enrolled device: its report proved who it is). */
public record TagSighting(RfidToken token, DeviceId reader, Instant time, int antenna) {
}
