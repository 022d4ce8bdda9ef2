package io.palisade.firmware.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-byte MCUboot image header (struct image_header, little-endian).
 *
 * @param headerSize        bytes from the start of the image to the payload (the header, padded)
 * @param protectedTlvSize  size of the protected TLV area including its 4-byte info header, 0 if none
 * @param imageSize         payload size
 */
public record ImageHeader(long loadAddress, int headerSize, int protectedTlvSize, long imageSize, long flags,
                          ImageVersion version) {

    public static final int MAGIC = 0x96f3b83d;
    public static final int SIZE = 32;

    static ImageHeader decode(byte[] image) throws ImageFormatException {
        if (image.length < SIZE) {
            throw new ImageFormatException("the image has " + image.length + " bytes, fewer than the 32-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(image, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new ImageFormatException(String.format("bad header magic 0x%08x (expected 0x%08x): not an MCUboot image",
                    magic, MAGIC));
        }
        long load = Integer.toUnsignedLong(in.getInt());
        int headerSize = Short.toUnsignedInt(in.getShort());
        int protectedSize = Short.toUnsignedInt(in.getShort());
        long imageSize = Integer.toUnsignedLong(in.getInt());
        long flags = Integer.toUnsignedLong(in.getInt());
        ImageVersion version = new ImageVersion(Byte.toUnsignedInt(in.get()), Byte.toUnsignedInt(in.get()),
                Short.toUnsignedInt(in.getShort()), Integer.toUnsignedLong(in.getInt()));
        if (headerSize < SIZE) {
            throw new ImageFormatException("header size " + headerSize + " is smaller than the 32-byte header");
        }
        return new ImageHeader(load, headerSize, protectedSize, imageSize, flags, version);
    }

    /** The header bytes padded to {@code headerSize} with 0xff (erased flash), as imgtool writes them. */
    byte[] encode() {
        byte[] out = new byte[headerSize];
        java.util.Arrays.fill(out, (byte) 0xff);
        ByteBuffer buffer = ByteBuffer.wrap(out, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC).putInt((int) loadAddress).putShort((short) headerSize).putShort((short) protectedTlvSize)
                .putInt((int) imageSize).putInt((int) flags).put((byte) version.major()).put((byte) version.minor())
                .putShort((short) version.revision()).putInt((int) version.build()).putInt(0);
        return out;
    }
}
