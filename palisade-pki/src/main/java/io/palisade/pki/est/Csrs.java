package io.palisade.pki.est;

import io.palisade.core.device.DeviceId;
import java.io.IOException;
import java.security.KeyPair;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds the PKCS#10 request a device sends: subject CN=id, signed with the device's new key. */
public final class Csrs {

    private Csrs() {
    }

    /** A request for {@code keys} naming {@code commonName} (the issuer may set its own subject). */
    public static byte[] forName(String commonName, KeyPair keys) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), keys.getPublic());
            return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build certificate request for " + commonName, e);
        }
    }

    public static byte[] forDevice(DeviceId id, KeyPair keys) {
        try {
            var builder = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id.value()), keys.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(keys.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build certificate request for " + id, e);
        }
    }
}
