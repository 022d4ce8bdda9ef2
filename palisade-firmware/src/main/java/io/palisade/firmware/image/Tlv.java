package io.palisade.firmware.image;

/** One type-length-value entry of an image's TLV areas (struct image_tlv: 16-bit type, 16-bit length). */
public record Tlv(int type, byte[] value) {

    public static final int KEY_HASH = 0x01;
    public static final int SHA256 = 0x10;
    public static final int ECDSA_SIG = 0x22;
    public static final int ED25519 = 0x24;
    public static final int ENC_EC256 = 0x32;
    public static final int SEC_CNT = 0x50;

    public static final int PROTECTED_MAGIC = 0x6908;
    public static final int UNPROTECTED_MAGIC = 0x6907;

    /** A name for listings, e.g. in {@code palisade firmware inspect}. */
    public String typeName() {
        return switch (type) {
            case KEY_HASH -> "KEYHASH";
            case SHA256 -> "SHA256";
            case ECDSA_SIG -> "ECDSA_SIG";
            case ED25519 -> "ED25519";
            case SEC_CNT -> "SEC_CNT";
            case ENC_EC256 -> "ENCEC256";
            default -> String.format("0x%02x", type);
        };
    }
}
