package io.palisade.firmware.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Structural damage gets a clear reason and never an unchecked exception. */
class MalformedImageTest {

    private final byte[] good = McubootVectorsTest.vector("ecdsa-p256-v1.2.3+4-cnt7.img");
    private static final int PROTECTED = 0x200 + 65536;
    private static final int UNPROTECTED = PROTECTED + 12;

    MalformedImageTest() throws Exception {
    }

    private byte[] copy() {
        return good.clone();
    }

    private static void putShort(byte[] image, int offset, int value) {
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putShort(offset, (short) value);
    }

    @Test
    void wrong_magics() {
        byte[] image = copy();
        image[0] ^= 1;
        assertThatThrownBy(() -> FirmwareImage.parse(image)).hasMessageContaining("bad header magic");
        byte[] tlv = copy();
        putShort(tlv, UNPROTECTED, 0x1234);
        assertThatThrownBy(() -> FirmwareImage.parse(tlv)).hasMessageContaining("bad unprotected TLV magic");
        assertThatThrownBy(() -> FirmwareImage.parse(new byte[10])).hasMessageContaining("fewer than the 32-byte header");
    }

    @Test
    void tlv_lengths_pointing_outside_the_image() {
        byte[] area = copy();
        putShort(area, UNPROTECTED + 2, 60_000);
        assertThatThrownBy(() -> FirmwareImage.parse(area)).hasMessageContaining("beyond the end");
        byte[] entry = copy();
        putShort(entry, UNPROTECTED + 4 + 2, 5_000);
        assertThatThrownBy(() -> FirmwareImage.parse(entry)).hasMessageContaining("runs past the end");
    }

    @Test
    void duplicate_tlvs_and_a_protected_size_that_disagrees_with_the_header() {
        byte[] duplicate = copy();
        // Turn the key hash TLV (second entry, after the 36-byte SHA-256 TLV) into a second SHA-256 TLV.
        putShort(duplicate, UNPROTECTED + 4 + 36, Tlv.SHA256);
        assertThatThrownBy(() -> FirmwareImage.parse(duplicate)).hasMessageContaining("appears twice");
        byte[] size = copy();
        putShort(size, 10, 16);
        assertThatThrownBy(() -> FirmwareImage.parse(size)).isInstanceOf(ImageFormatException.class);
    }

    @Test
    void an_image_size_larger_than_the_file() {
        byte[] image = copy();
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE);
        assertThatThrownBy(() -> FirmwareImage.parse(image)).hasMessageContaining("truncated");
    }
}
