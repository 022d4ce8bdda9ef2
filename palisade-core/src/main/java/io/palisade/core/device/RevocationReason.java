package io.palisade.core.device;

import java.util.Locale;

/**
 * Why a certificate was revoked, as the CRL's reasonCode (RFC 5280, 5.3.1) tells relying parties: a key
 * compromise makes everything the key signed suspect from the compromise on, a superseded or retired
 * certificate does not.
 */
public enum RevocationReason {
    UNSPECIFIED(0),
    /** The device's key may be in someone else's hands (detection's revoke response, an operator's verdict). */
    KEY_COMPROMISE(1),
    /** The device moved to another owner or segment and its old identity must end. */
    AFFILIATION_CHANGED(3),
    /** Renewed: a newer certificate of the same device took its place. */
    SUPERSEDED(4),
    /** The device stopped operating: wiped, decommissioned. */
    CESSATION_OF_OPERATION(5);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The RFC 5280 CRLReason value. */
    public int code() {
        return code;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RevocationReason fromWireName(String name) {
        for (RevocationReason reason : values()) {
            if (reason.wireName().equals(name)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + name + "'; use unspecified, key-compromise,"
                + " affiliation-changed, superseded or cessation-of-operation");
    }
}
