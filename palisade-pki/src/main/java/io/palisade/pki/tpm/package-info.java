/**
 * Device keys inside a TPM 2.0: made there (P-256, not exportable), persisted at a handle, and used through the
 * JCA (a {@link java.security.Provider} whose {@code SHA256withECDSA} signs with the TPM), so certificate requests
 * and TLS client authentication need no other change. The TPM is driven with tpm2-tools, the TCG's reference
 * stack on the command line, rather than a Java TSS: Debian ships and maintains it for every device this runs on,
 * it does the marshalling and sessions, and TSS.Java 0.3.0, the Java alternative, has not been released since
 * 2020 and drags in an old Bouncy Castle.
 */
package io.palisade.pki.tpm;
