package io.palisade.detect;

import io.palisade.core.device.DeviceId;

/** Carries out the response policy's decisions; the control plane implements it (stored, applied to live sessions). */
@FunctionalInterface
public interface Responder {

    void quarantine(DeviceId device, String reason) throws Exception;
}
