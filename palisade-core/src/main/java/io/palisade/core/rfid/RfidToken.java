package io.palisade.core.rfid;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a passive tag carries instead of data: 96 bits that mean nothing without the vault. Laid out as an EPC Tag Data
 * Standard GID-96 identifier — header {@value #HEADER_HEX} (8 bits), then 88 random bits where GID-96 has its general
 * manager number (28), object class (24) and serial number (36) — so every Gen2 reader and middleware takes it for an
 * ordinary 96-bit EPC. The manager field is random, not an assigned number: such an EPC must not be resolved through
 * ONS or any public lookup; only Palisade's vault knows what it stands for. Written as 24 upper-case hex digits, as
 * readers report EPCs.
 */
public record RfidToken(String hex) {

    public static final String HEADER_HEX = "35";
    private static final SecureRandom RANDOM = new SecureRandom();

    public RfidToken {
        hex = hex.trim().toUpperCase(Locale.ROOT);
        if (hex.length() != 24 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + hex + "' is not a 96-bit EPC (24 hex digits)");
        }
    }

    /** A fresh token: GID-96 header and 88 bits from a strong random source. */
    public static RfidToken generate() {
        byte[] bits = new byte[12];
        RANDOM.nextBytes(bits);
        bits[0] = (byte) 0x35;
        return new RfidToken(HexFormat.of().formatHex(bits));
    }

    /** Parses an EPC as a reader reports it (hex, case and surrounding space ignored). */
    public static RfidToken parse(String epc) {
        return new RfidToken(epc);
    }

    public static boolean isValid(String epc) {
        try {
            parse(epc);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the EPC has the layout Palisade's tokens have (any other EPC is some other system's tag). */
    public boolean hasTokenLayout() {
        return hex.startsWith(HEADER_HEX);
    }

    @Override
    public String toString() {
        return hex;
    }
}
