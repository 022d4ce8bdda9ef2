package io.palisade.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceState;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path never asks the store: a device the gateway announced with {@code connected} is
 * scoped from that entry, and the scope lookup (which may hit the database) is not called for it.
 */
class DetectorScopeTest {

    @Test
    void a_connected_device_is_scoped_without_a_lookup() {
        AtomicInteger lookups = new AtomicInteger();
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"), ZoneOffset.UTC);
        Detector detector = new Detector(DetectionConfig.defaults(), (device, reason) -> { }, event -> { },
                clock, () -> 0L, id -> {
                    lookups.incrementAndGet();
                    return DeviceScope.DEFAULT;
                }, Runnable::run, 1);
        try {
            Device meter = new Device(DeviceId.of("meter-1"), "meter", "plant-b", DeviceState.ENROLLED, false,
                    Instant.EPOCH, Instant.EPOCH);
            detector.connected(meter);
            for (int i = 0; i < 100; i++) {
                detector.published(meter.id(), "devices/meter-1/kwh", ByteBuffer.wrap(new byte[8]));
            }
            assertThat(lookups).as("store lookups on the per-packet path").hasValue(0);
            detector.published(DeviceId.of("never-connected"), "devices/x/t", ByteBuffer.wrap(new byte[8]));
            assertThat(lookups).as("an unannounced device is still looked up, once").hasValue(1);
        } finally {
            detector.close();
        }
    }
}
