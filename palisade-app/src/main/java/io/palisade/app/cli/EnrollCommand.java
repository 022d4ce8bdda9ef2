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

    /** The pinned public key that signs wipe and reflash commands, written next to the credentials. */
    static final String COMMAND_KEY_FILE = io.palisade.agent.DeviceAgent.COMMAND_KEY_FILE;

    @Mixin
    DeviceSideOptions deviceSide;

    /** With --json: the device, its certificate's serial and validity, the files written. */
    @Mixin
    JsonOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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
        KeyPair keys = KeyPairs.newP256();
        try (SecretBytes secret = SecretBytes.wrap(tokenText.strip().getBytes(StandardCharsets.US_ASCII))) {
            List<X509Certificate> ca = est.caCertificates();
            X509Certificate certificate = est.enroll(DeviceId.of(id), secret, keys);
            new DeviceCredentials(keys.getPrivate(), certificate, ca).write(out);
            Path commandKey = out.resolve(COMMAND_KEY_FILE);
            io.palisade.core.AtomicFiles.write(commandKey, deviceSide.commandKeyPem().getBytes(StandardCharsets.US_ASCII),
                    false);
            var printer = spec.commandLine().getOut();
            var node = Output.certificate(id, certificate);
            node.putObject("files").put("key", DeviceCredentials.keyFile(out).toString())
                    .put("certificate", DeviceCredentials.certificateFile(out).toString())
                    .put("ca", DeviceCredentials.caFile(out).toString()).put("command_key", commandKey.toString());
            output.print(printer, "device " + id + " enrolled; certificate valid until "
                    + certificate.getNotAfter().toInstant() + ", renew after " + RenewalPolicy.renewAt(certificate)
                    + System.lineSeparator() + "wrote " + DeviceCredentials.keyFile(out) + ", "
                    + DeviceCredentials.certificateFile(out) + ", " + DeviceCredentials.caFile(out) + ", " + commandKey
                    + " (the key that signs wipe and reflash commands)", node);
            printer.flush();
        } catch (EstException e) {
            throw new CliFailure("enrollment failed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot write credentials to " + out + ": " + e.getMessage());
        }
    }
}
