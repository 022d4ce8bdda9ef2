package io.palisade.pki.tamper;

import io.palisade.core.device.Device;
import io.palisade.core.device.DeviceId;
import io.palisade.pki.DeviceAuthenticator;
import io.palisade.pki.TlsPolicy;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether a signed tamper report comes from the device it names: the signature verifies with the
 * certificate it carries ({@link SignedTamperReport#open}), the certificate chains to the Palisade CA and is
 * a device certificate that is valid now and not revoked, of a registered device (the same decision the
 * gateway makes at connect), and that device is the one in the report and in the topic it came on.
 * The counter is not checked here: it needs the store.
 */
public final class TamperReportCheck {

    /** A believed report and the registered device it came from. */
    public record Accepted(SignedTamperReport.Opened opened, Device device) {
    }

    private final X509TrustManager trust;
    private final DeviceAuthenticator devices;

    public TamperReportCheck(List<X509Certificate> caCertificates, DeviceAuthenticator devices) {
        this.trust = x509(TlsPolicy.trustOnly(caCertificates).getTrustManagers());
        this.devices = devices;
    }

    public Accepted check(byte[] envelope, DeviceId topicDevice) throws SignedTamperReport.Refused {
        SignedTamperReport.Opened opened = SignedTamperReport.open(envelope);
        try {
            trust.checkClientTrusted(new X509Certificate[]{opened.certificate()}, "UNKNOWN");
        } catch (CertificateException e) {
            throw new SignedTamperReport.Refused("the tamper report's certificate is not a valid Palisade certificate: "
                    + e.getMessage());
        }
        DeviceAuthenticator.Result result = devices.authenticate(List.of(opened.certificate()));
        if (result.device().isEmpty()) {
            throw new SignedTamperReport.Refused(result.reason());
        }
        Device device = result.device().get();
        if (!device.id().equals(opened.report().device()) || !device.id().equals(topicDevice)) {
            throw new SignedTamperReport.Refused("a tamper report signed by " + device.id() + " names device "
                    + opened.report().device() + " and came on the channel of " + topicDevice);
        }
        return new Accepted(opened, device);
    }

    private static X509TrustManager x509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JVM offers no X.509 trust manager");
    }
}
