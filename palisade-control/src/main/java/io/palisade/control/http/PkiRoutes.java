package io.palisade.control.http;

import io.palisade.control.service.CrlService;
import io.palisade.pki.Pem;
import io.palisade.pki.ca.CertificateAuthority;
import java.nio.charset.StandardCharsets;

/**
 * Public PKI material: the CRL at {@value #CRL_PATH} (DER, as named in device certificates'
 * CRL distribution points), the CA chain as PEM at {@value #CA_PATH} and the public command key,
 * which devices pin to check wipe and reflash commands, at {@value #COMMAND_KEY_PATH}.
 */
public final class PkiRoutes {

    public static final String CRL_PATH = "/pki/crl";
    public static final String CA_PATH = "/pki/ca.pem";
    public static final String COMMAND_KEY_PATH = "/pki/command-key.pem";

    private final CrlService crl;
    private final CertificateAuthority ca;
    private final String commandKeyPem;

    public PkiRoutes(CrlService crl, CertificateAuthority ca, String commandKeyPem) {
        this.crl = crl;
        this.ca = ca;
        this.commandKeyPem = commandKeyPem;
    }

    public void register(Router router) {
        router.add("GET", CRL_PATH, (call, p) -> HttpReply.bytes(200, "application/pkix-crl", crl.currentDer()),
                HttpReply::text);
        router.add("GET", CA_PATH, (call, p) -> HttpReply.bytes(200, "application/x-pem-file",
                Pem.encodeCertificates(ca.chain()).getBytes(StandardCharsets.US_ASCII)), HttpReply::text);
        router.add("GET", COMMAND_KEY_PATH, (call, p) -> HttpReply.bytes(200, "application/x-pem-file",
                commandKeyPem.getBytes(StandardCharsets.US_ASCII)), HttpReply::text);
    }
}
