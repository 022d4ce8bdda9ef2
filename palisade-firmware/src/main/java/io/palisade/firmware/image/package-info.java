/**
 * MCUboot images, byte for byte as MCUboot's design document and {@code imgtool} define them:
 * a 32-byte little-endian header (padded to the header size with 0xff), the payload, an optional
 * protected TLV area (magic 0x6908) and the unprotected TLV area (magic 0x6907) with the SHA-256
 * of header, payload and protected TLVs, the key hash and the signature.
 */
package io.palisade.firmware.image;
