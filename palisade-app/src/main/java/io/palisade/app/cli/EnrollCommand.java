package io.palisade.app.cli;

import io.palisade.core.device.DeviceId;
import io.palisade.core.secret.SecretBytes;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.RenewalPolicy;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstClient;
import io.palisade.pki.est.EstException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade device enroll}: the device side of EST enrollment. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = "Device side: generate a P-256 key (it never leaves this machine), enroll over EST with the"
                + " one-time token, and write key.pem, cert.pem and ca.pem to --out.")
final class EnrollCommand implements Runnable {

    static final String TOKEN_ENV = "PALISADE_ENROLLMENT_TOKEN";

    @Parameters(paramLabel = "ID", description = "The device id the token was issued for.")
    String id;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "One-time enrollment token (or set " + TOKEN_ENV + " to keep it out of the process list).")
    String token;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for key.pem, cert.pem, ca.pem.")
    Path out;

    @Option(names = "--tpm", paramLabel = "TCTI",
            description = "Make the key inside this TPM 2.0 instead (device:/dev/tpmrm0, swtpm:host=H,port=P; needs"
                    + " tpm2-tools): P-256, not exportable, persisted at --tpm-handle; key.tpm names it instead of"
                    + " key.pem.")
    String tpm;

    @Option(names = "--tpm-handle", paramLabel = "HANDLE", defaultValue = "0x81010001",
            description = "Persistent handle for the TPM key (default: ${DEFAULT-VALUE}); an occupied one is refused.")
    String tpmHandle;

    @Option(names = "--tpm-ak-handle", paramLabel = "HANDLE", defaultValue = "0x81010002",
            description = "Persistent handle for the TPM's attestation key, a restricted key made with the device key"
                    + " that signs quotes of the boot measurements (default: ${DEFAULT-VALUE}).")
    String tpmAkHandle;

    /** The attestation key made with a TPM device key (null without --tpm). */
    private io.palisade.pki.tpm.TpmAttestationKey attestationKey;

    /** The pinned public key that signs wipe and reflash commands, written next to the credentials. */
    static final String COMMAND_KEY_FILE = io.palisade.agent.DeviceAgent.COMMAND_KEY_FILE;

    @Mixin
    DeviceSideOptions deviceSide;

    /** With --json: the device, its certificate's serial and validity, the files written. */
    @Mixin
    JsonOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** A TPM key made for an enrollment that failed is evicted again, so that the next try finds its handle free. */
    private void forgetTpmKey(KeyPair keys) {
        if (keys.getPrivate() instanceof io.palisade.pki.tpm.TpmPrivateKey key) {
            try {
                io.palisade.pki.tpm.TpmKeys.destroy(key.tpm(), key.handle());
                attestationKey.destroy();
            } catch (java.io.IOException e) {
                System.err.println("palisade: could not evict the unused TPM key at "
                        + io.palisade.pki.tpm.TpmKeys.hex(key.handle()) + ": " + e.getMessage());
            }
        }
    }

    /** A software key, or one made inside the TPM (its private half a handle to it). */
    private KeyPair keys() {
        if (tpm == null) {
            return KeyPairs.newP256();
        }
        try {
            io.palisade.pki.tpm.Tpm2Tools tools = new io.palisade.pki.tpm.Tpm2Tools(tpm);
            io.palisade.pki.tpm.TpmPrivateKey key = io.palisade.pki.tpm.TpmKeys.create(tools,
                    io.palisade.pki.tpm.TpmKeys.parseHandle(tpmHandle));
            try {
                attestationKey = io.palisade.pki.tpm.TpmAttestationKey.create(tools,
                        io.palisade.pki.tpm.TpmKeys.parseHandle(tpmAkHandle));
            } catch (IllegalArgumentException | java.io.IOException e) {
                io.palisade.pki.tpm.TpmKeys.destroy(tools, key.handle());
                throw e;
            }
            return new KeyPair(key.publicKey(), key);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new CliFailure("cannot make the device key in the TPM: " + e.getMessage());
        }
    }

    @Override
    public void run() {
        if (!DeviceId.isValid(id)) {
            throw new CliFailure("'" + id + "' is not a valid device id");
        }
        String tokenText = token != null ? token : System.getenv(TOKEN_ENV);
        if (tokenText == null || tokenText.isBlank()) {
            throw new CliFailure("no enrollment token: pass --token TOKEN or set " + TOKEN_ENV);
        }
        EstClient est = deviceSide.client(Optional.empty());
        KeyPair keys = keys();
        try (SecretBytes secret = SecretBytes.wrap(tokenText.strip().getBytes(StandardCharsets.US_ASCII))) {
            List<X509Certificate> ca = est.caCertificates();
            X509Certificate certificate = est.enroll(DeviceId.of(id), secret, keys);
            new DeviceCredentials(keys.getPrivate(), certificate, ca).write(out);
            Path commandKey = out.resolve(COMMAND_KEY_FILE);
            io.palisade.core.AtomicFiles.write(commandKey, deviceSide.commandKeyPem().getBytes(StandardCharsets.US_ASCII),
                    false);
            String attested = "";
            if (attestationKey != null) {
                // Last: a device whose attestation fails is enrolled and quarantined, and can still be reached.
                DeviceCredentials.recordAttestationKey(out, attestationKey.handle());
                attested = System.lineSeparator() + EnrollmentAttestation.run(deviceSide.connection.serverUrl(), ca,
                        new io.palisade.pki.TlsContexts.ClientIdentity(keys.getPrivate(), List.of(certificate)),
                        attestationKey);
            }
            var printer = spec.commandLine().getOut();
            var node = Output.certificate(id, certificate);
            Path keyFile = tpm == null ? DeviceCredentials.keyFile(out) : DeviceCredentials.tpmKeyFile(out);
            node.putObject("files").put("key", keyFile.toString())
                    .put("certificate", DeviceCredentials.certificateFile(out).toString())
                    .put("ca", DeviceCredentials.caFile(out).toString()).put("command_key", commandKey.toString());
            output.print(printer, "device " + id + " enrolled; certificate valid until "
                    + certificate.getNotAfter().toInstant() + ", renew after " + RenewalPolicy.renewAt(certificate)
                    + System.lineSeparator() + "wrote " + keyFile + ", "
                    + DeviceCredentials.certificateFile(out) + ", " + DeviceCredentials.caFile(out) + ", " + commandKey
                    + " (the key that signs wipe and reflash commands)" + attested, node);
            printer.flush();
        } catch (EstException e) {
            forgetTpmKey(keys);
            throw new CliFailure("enrollment failed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot write credentials to " + out + ": " + e.getMessage());
        }
    }
}
