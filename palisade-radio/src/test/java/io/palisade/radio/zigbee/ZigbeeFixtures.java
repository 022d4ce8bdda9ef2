package io.palisade.radio.zigbee;

import io.palisade.core.device.DeviceId;
import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.radio.capture.CapturedFrame;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/** One small ZigBee network for tests: a coordinator, a bound sensor, and their keys. */
final class ZigbeeFixtures {

    static final byte[] NETWORK_KEY = HexFormat.of().parseHex("01030507090b0d0f00020406080a0c0d");
    static final byte[] LINK_KEY = HexFormat.of().parseHex("5a6967426565416c6c69616e63653131");
    static final int PAN = 0x1a62;
    static final ZigbeeFrameWriter.Sender SENSOR = new ZigbeeFrameWriter.Sender(PAN, 0x7a3b, 0x00124b0001020304L);
    static final ZigbeeFrameWriter.Sender COORDINATOR = new ZigbeeFrameWriter.Sender(PAN, 0x0000,
            0x00124b00aabbccddL);
    static final DeviceId SENSOR_DEVICE = DeviceId.of("temp-7");
    static final ZigbeeFrameWriter.ApsData TEMPERATURE = new ZigbeeFrameWriter.ApsData(1, 0x0402, 0x0104, 1, 9);
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    static ZigbeeKeyring keyring() {
        return new ZigbeeKeyring(Map.of(0, NETWORK_KEY), Map.of(), Map.of(SENSOR.ieee(), LINK_KEY),
                Map.of(SENSOR.ieee(), SENSOR_DEVICE), ZigbeeKeyring.DEFAULT_LEVEL);
    }

    /** A ZCL attribute report from the sensor with NWK frame counter {@code counter}. */
    static byte[] report(long counter, byte[] zcl) {
        return ZigbeeFrameWriter.data(SENSOR, 0x0000, (int) counter & 0xff, (int) counter & 0xff, counter,
                NETWORK_KEY, 0, ZigbeeSecurity.DEFAULT_LEVEL, TEMPERATURE, zcl);
    }

    /** The trust center sending the network key to the sensor under the default link key, as joins often do. */
    static byte[] transportKeyUnderDefaultKey() {
        byte[] command = new io.palisade.radio.ieee802154.Writer().u8(0x05).u8(0x01).bytes(NETWORK_KEY).u8(0)
                .u64(SENSOR.ieee()).u64(COORDINATOR.ieee()).toByteArray();
        return ZigbeeFrameWriter.apsCommand(COORDINATOR, SENSOR.shortAddress(), 1, 1, 1, 4, WellKnownKeys
                .DEFAULT_TC_LINK_KEY, ZigbeeSecurity.DEFAULT_LEVEL, command);
    }

    static CapturedFrame at(Instant time, byte[] frame) {
        return new CapturedFrame(time, "test-sniffer", frame);
    }

    private ZigbeeFixtures() {
    }
}
