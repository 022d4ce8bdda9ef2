package io.palisade.firmware.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed MCUboot image. Parsing checks structure only (magic, sizes, TLV bounds, duplicates); whether
 * the image may run is {@link ImageVerifier}'s question.
 *
 * @param coveredLength bytes covered by the hash and signature: header, payload, protected TLV area
 */
public record FirmwareImage(ImageHeader header, byte[] bytes, int coveredLength, List<Tlv> protectedTlvs,
                            List<Tlv> unprotectedTlvs) {

    /** Images larger than this are refused before any work (MCUboot slots are far smaller). */
    public static final int MAX_IMAGE_BYTES = 64 * 1024 * 1024;

    public static FirmwareImage parse(byte[] image) throws ImageFormatException {
        if (image.length > MAX_IMAGE_BYTES) {
            throw new ImageFormatException("the image has " + image.length + " bytes; the limit is " + MAX_IMAGE_BYTES);
        }
        ImageHeader header = ImageHeader.decode(image);
        long payloadEnd = (long) header.headerSize() + header.imageSize();
        if (payloadEnd > image.length) {
            throw new ImageFormatException("the image is truncated: header and payload need " + payloadEnd
                    + " bytes but the file has " + image.length);
        }
        int offset = (int) payloadEnd;
        List<Tlv> protectedTlvs = List.of();
        if (header.protectedTlvSize() > 0) {
            protectedTlvs = area(image, offset, Tlv.PROTECTED_MAGIC, "protected");
            int declared = areaSize(image, offset);
            if (declared != header.protectedTlvSize()) {
                throw new ImageFormatException("the protected TLV area is " + declared
                        + " bytes but the header says " + header.protectedTlvSize());
            }
            offset += declared;
        }
        int covered = offset;
        List<Tlv> unprotected = area(image, offset, Tlv.UNPROTECTED_MAGIC, "unprotected");
        return new FirmwareImage(header, image, covered, protectedTlvs, unprotected);
    }

    private static int areaSize(byte[] image, int offset) {
        return Short.toUnsignedInt(ByteBuffer.wrap(image, offset + 2, 2).order(ByteOrder.LITTLE_ENDIAN).getShort());
    }

    private static List<Tlv> area(byte[] image, int offset, int magic, String name) throws ImageFormatException {
        if (offset + 4 > image.length) {
            throw new ImageFormatException("the image is truncated: the " + name + " TLV area is missing");
        }
        ByteBuffer in = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int found = Short.toUnsignedInt(in.getShort(offset));
        if (found != magic) {
            throw new ImageFormatException(String.format("bad %s TLV magic 0x%04x (expected 0x%04x)", name, found, magic));
        }
        int total = areaSize(image, offset);
        if (total < 4 || offset + total > image.length) {
            throw new ImageFormatException("the " + name + " TLV area claims " + total + " bytes, beyond the end of the"
                    + " image");
        }
        List<Tlv> tlvs = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int position = offset + 4;
        int end = offset + total;
        while (position < end) {
            if (position + 4 > end) {
                throw new ImageFormatException("a TLV header in the " + name + " area runs past the area's end");
            }
            int type = Short.toUnsignedInt(in.getShort(position));
            int length = Short.toUnsignedInt(in.getShort(position + 2));
            if (position + 4 + length > end) {
                throw new ImageFormatException(String.format("TLV 0x%02x of %d bytes runs past the end of the %s area",
                        type, length, name));
            }
            if (!seen.add(type)) {
                throw new ImageFormatException(String.format("TLV 0x%02x appears twice in the %s area", type, name));
            }
            byte[] value = new byte[length];
            System.arraycopy(image, position + 4, value, 0, length);
            tlvs.add(new Tlv(type, value));
            position += 4 + length;
        }
        return List.copyOf(tlvs);
    }

    public Optional<Tlv> unprotected(int type) {
        return unprotectedTlvs.stream().filter(t -> t.type() == type).findFirst();
    }

    public Optional<Tlv> protectedTlv(int type) {
        return protectedTlvs.stream().filter(t -> t.type() == type).findFirst();
    }

    /** The security counter from the protected TLVs (0 when the image carries none). */
    public long securityCounter() throws ImageFormatException {
        Optional<Tlv> counter = protectedTlv(Tlv.SEC_CNT);
        if (counter.isEmpty()) {
            return 0;
        }
        if (counter.get().value().length != 4) {
            throw new ImageFormatException("the security counter TLV has " + counter.get().value().length
                    + " bytes; it must have 4");
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(counter.get().value()).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }
}
