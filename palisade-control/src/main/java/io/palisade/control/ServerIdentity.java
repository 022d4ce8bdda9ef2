package io.palisade.control;

import io.palisade.pki.KeyPairs;
import io.palisade.pki.Pem;
import io.palisade.pki.RenewalPolicy;
import io.palisade.pki.ca.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS server certificate of the HTTPS and MQTT ports: valid for {@code localhost},
 * {@code 127.0.0.1}, {@code ::1} and every {@code --hostname}. Reused across starts; reissued when
 * the host names change, the CA changed, or two thirds of its lifetime have passed.
 *
 * @param key   the server's private key
 * @param chain server certificate, issuing CA, root CA
 */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {

    public static final Duration LIFETIME = Duration.ofDays(365);
    public static final List<String> DEFAULT_NAMES = List.of("localhost", "127.0.0.1", "::1");

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public static ServerIdentity loadOrIssue(DataDirectory data, CertificateAuthority ca, List<String> extraNames,
                                             Clock clock) throws IOException {
        Set<String> wanted = new LinkedHashSet<>(DEFAULT_NAMES);
        wanted.addAll(extraNames);
        if (Files.exists(data.serverCertificateFile()) && Files.exists(data.serverKeyFile())) {
            List<X509Certificate> chain = Pem.readCertificates(data.serverCertificateFile());
            X509Certificate current = chain.get(0);
            if (ca.issued(current) && names(current).equals(normalized(wanted))
                    && !RenewalPolicy.isDue(current, clock.instant())) {
                return new ServerIdentity(Pem.readPrivateKey(data.serverKeyFile()), chain);
            }
        }
        KeyPair keys = KeyPairs.newP256();
        X509Certificate certificate = ca.issueServer(keys.getPublic(), new ArrayList<>(wanted), LIFETIME);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(ca.chain());
        Pem.writePrivateKey(data.serverKeyFile(), keys.getPrivate());
        Pem.writeCertificates(data.serverCertificateFile(), chain);
        return new ServerIdentity(keys.getPrivate(), List.copyOf(chain));
    }

    private static Set<String> names(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(san -> names.add(normalize(String.valueOf(san.get(1)))));
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static Set<String> normalized(Set<String> hostNames) {
        Set<String> names = new HashSet<>();
        hostNames.forEach(n -> names.add(normalize(n)));
        return names;
    }

    /** IPv6 literals come back from certificates in full form ("0:0:0:0:0:0:0:1"); compare canonically. */
    private static String normalize(String name) {
        if (name.contains(":")) {
            try {
                return java.net.InetAddress.getByName(name).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return name;
            }
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
