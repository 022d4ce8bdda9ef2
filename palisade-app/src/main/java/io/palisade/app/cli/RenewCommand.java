package io.palisade.app.cli;

import io.palisade.core.device.DeviceId;
import io.palisade.pki.DeviceIdentity;
import io.palisade.pki.KeyPairs;
import io.palisade.pki.RenewalPolicy;
import io.palisade.pki.est.DeviceCredentials;
import io.palisade.pki.est.EstException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code palisade device renew}: EST re-enrollment with a fresh key, authenticated by the current
 * certificate, once two thirds of its lifetime have passed (or at once with {@code --force}).
 */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Device side: re-enroll over EST with a new key when 2/3 of the certificate's lifetime has"
                + " passed. With --watch, keep running and renew each time it is due.")
final class RenewCommand implements Runnable {

    private static final Duration RETRY_DELAY = Duration.ofMinutes(1);

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory holding key.pem, cert.pem, ca.pem.")
    Path dir;

    @Option(names = "--force", description = "Renew now, even if not yet due.")
    boolean force;

    @Option(names = "--watch", description = "Keep running; renew whenever due, retrying every minute on failure.")
    boolean watch;

    @Mixin
    DeviceSideOptions deviceSide;

    /** With --json: one object per line: renewed (with the new certificate), not_due, or (with --watch) retrying. */
    @Mixin
    JsonOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        if (java.nio.file.Files.exists(DeviceCredentials.tpmKeyFile(dir))) {
            throw new CliFailure("the device key of " + dir + " lives in a TPM (key.tpm); renewing it is not supported"
                    + " yet: enroll again with a new token and --tpm (after `palisade device wipe` or evicting the old"
                    + " key with tpm2_evictcontrol)");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean forceOnce = force;
        do {
            DeviceCredentials current = read();
            Instant due = RenewalPolicy.renewAt(current.certificate());
            if (forceOnce || !Instant.now().isBefore(due)) {
                try {
                    X509Certificate renewed = renew(current);
                    output.line(out, "renewed; certificate valid until " + renewed.getNotAfter().toInstant()
                            + ", renew after " + RenewalPolicy.renewAt(renewed),
                            Output.certificate(deviceId(current), renewed).put("result", "renewed"));
                    forceOnce = false;
                } catch (CliFailure e) {
                    if (!watch) {
                        throw e;
                    }
                    output.line(out, "renewal failed, retrying in " + RETRY_DELAY.toMinutes() + " min: " + e.getMessage(),
                            Output.object().put("result", "retrying").put("retry_in_seconds", RETRY_DELAY.toSeconds())
                                    .put("error", e.getMessage()));
                    out.flush();
                    sleep(RETRY_DELAY);
                    continue;
                }
            } else if (!watch) {
                output.line(out, "not due yet; renew after " + due + " (use --force to renew now)",
                        Output.object().put("result", "not_due").put("renew_after", due.toString()));
            }
            out.flush();
            if (watch) {
                sleep(Duration.between(Instant.now(), RenewalPolicy.renewAt(read().certificate())));
            }
        } while (watch && !Thread.currentThread().isInterrupted());
    }

    private String deviceId(DeviceCredentials current) {
        return DeviceIdentity.of(current.certificate()).map(DeviceId::value).orElse("");
    }

    private X509Certificate renew(DeviceCredentials current) {
        DeviceId id = DeviceIdentity.of(current.certificate())
                .orElseThrow(() -> new CliFailure(DeviceCredentials.certificateFile(dir) + " is not a device certificate"));
        KeyPair keys = KeyPairs.newP256();
        try {
            X509Certificate renewed = deviceSide.client(Optional.of(current.identity()),
                    Optional.of(current.caCertificates())).reenroll(id, keys);
            new DeviceCredentials(keys.getPrivate(), renewed, current.caCertificates()).write(dir);
            return renewed;
        } catch (EstException e) {
            throw new CliFailure("re-enrollment failed: " + e.getMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot write renewed credentials to " + dir + ": " + e.getMessage());
        }
    }

    private DeviceCredentials read() {
        try {
            return DeviceCredentials.read(dir);
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(Math.max(1000, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
