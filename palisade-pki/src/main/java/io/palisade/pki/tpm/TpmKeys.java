package io.palisade.pki.tpm;

import io.palisade.pki.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * Makes, finds and destroys a device key in the TPM: a P-256 signing key under a primary key of the owner
 * hierarchy, made inside the TPM ({@code sensitivedataorigin}) and bound to it ({@code fixedtpm|fixedparent}: it
 * cannot be duplicated out), then made persistent at a handle so it survives restarts without its context files.
 */
public final class TpmKeys {

    /** The first persistent handle of the owner's range: where Palisade keeps the device key by default. */
    public static final int DEFAULT_HANDLE = 0x81010001;
    private static final String ATTRIBUTES = "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign";

    private TpmKeys() {
    }

    /** Makes a new device key at {@code handle}; refuses if the handle is taken (an existing key is never replaced). */
    public static TpmPrivateKey create(Tpm2Tools tpm, int handle) throws IOException {
        checkHandle(handle);
        TpmProvider.install();
        PublicKey publicKey = tpm.exclusive((scratch, tools) -> {
            tools.step(scratch, "tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc256", "-c", "primary.ctx");
            tools.step(scratch, "tpm2_create", "-C", "primary.ctx", "-G", "ecc256:ecdsa-sha256", "-a", ATTRIBUTES,
                    "-u", "key.pub", "-r", "key.priv");
            tools.step(scratch, "tpm2_load", "-C", "primary.ctx", "-u", "key.pub", "-r", "key.priv", "-c", "key.ctx");
            tools.step(scratch, "tpm2_evictcontrol", "-C", "o", "-c", "key.ctx", hex(handle));
            return readPublic(scratch, tools, handle);
        });
        return new TpmPrivateKey(tpm, handle, publicKey);
    }

    /** The key at {@code handle}, which must exist. */
    public static TpmPrivateKey open(Tpm2Tools tpm, int handle) throws IOException {
        checkHandle(handle);
        TpmProvider.install();
        return new TpmPrivateKey(tpm, handle, tpm.exclusive((scratch, tools) -> readPublic(scratch, tools, handle)));
    }

    /** Evicts the key from the TPM: gone for good, nothing left to erase anywhere else. */
    public static void destroy(Tpm2Tools tpm, int handle) throws IOException {
        checkHandle(handle);
        tpm.exclusive((scratch, tools) -> tools.command(scratch, "tpm2_evictcontrol", "-C", "o", "-c", hex(handle)));
    }

    private static PublicKey readPublic(Path scratch, Tpm2Tools tools, int handle) throws IOException {
        tools.command(scratch, "tpm2_readpublic", "-c", hex(handle), "-f", "pem", "-o", "public.pem");
        return Pem.readPublicKey(scratch.resolve("public.pem"));
    }

    private static void checkHandle(int handle) {
        if (Integer.compareUnsigned(handle, 0x81000000) < 0 || Integer.compareUnsigned(handle, 0x81ffffff) > 0) {
            throw new IllegalArgumentException(hex(handle) + " is not a persistent TPM handle (0x81000000-0x81ffffff)");
        }
    }

    public static String hex(int handle) {
        return String.format("0x%08x", handle);
    }

    public static int parseHandle(String text) {
        try {
            int handle = Integer.parseUnsignedInt(text.strip().replaceFirst("^0[xX]", ""), 16);
            checkHandle(handle);
            return handle;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a TPM handle such as 0x81010001");
        }
    }
}
