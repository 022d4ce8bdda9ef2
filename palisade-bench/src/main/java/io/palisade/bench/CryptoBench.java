package io.palisade.bench;

import io.palisade.pki.Bc;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECC frugality claim (R12), measured: ECDSA P-256 against RSA-3072 (equal strength, 128 bits)
 * for signing and verifying, in the JVM's providers Palisade uses and in OpenSSL on the same machine.
 */
final class CryptoBench {

    private static final byte[] MESSAGE = new byte[256];

    private CryptoBench() {
    }

    static void run(double seconds) throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(3072);
        KeyPair rsa3072 = rsa.generateKeyPair();

        System.out.println("== Signatures: ECDSA P-256 vs RSA-3072 (ops/s, " + seconds + " s each) ==");
        System.out.printf("%-22s %12s %12s %12s %12s %10s %10s%n", "implementation", "P-256 sign", "RSA sign",
                "P-256 verify", "RSA verify", "sign EC/RSA", "verify EC/RSA");
        for (Provider provider : new Provider[]{null, Bc.PROVIDER}) {
            String name = provider == null ? "JDK default" : "Bouncy Castle";
            double ecSign = signRate("SHA256withECDSA", p256, provider, seconds);
            double rsaSign = signRate("SHA256withRSA", rsa3072, provider, seconds);
            double ecVerify = verifyRate("SHA256withECDSA", p256, provider, seconds);
            double rsaVerify = verifyRate("SHA256withRSA", rsa3072, provider, seconds);
            print(name, ecSign, rsaSign, ecVerify, rsaVerify);
        }
        Map<String, double[]> openssl = opensslSpeed();
        if (openssl.containsKey("ec") && openssl.containsKey("rsa")) {
            print("OpenSSL (peer)", openssl.get("ec")[0], openssl.get("rsa")[0], openssl.get("ec")[1],
                    openssl.get("rsa")[1]);
        } else {
            System.out.println("OpenSSL (peer)         not measured: `openssl speed` unavailable");
        }
        System.out.println();
    }

    private static void print(String name, double ecSign, double rsaSign, double ecVerify, double rsaVerify) {
        System.out.printf("%-22s %12.0f %12.0f %12.0f %12.0f %10.1fx %10.2fx%n", name, ecSign, rsaSign, ecVerify,
                rsaVerify, ecSign / rsaSign, ecVerify / rsaVerify);
    }

    private static Signature signature(String algorithm, Provider provider) throws Exception {
        return provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    }

    private static double signRate(String algorithm, KeyPair keys, Provider provider, double seconds) throws Exception {
        Signature signer = signature(algorithm, provider);
        return Measure.opsPerSecond(seconds / 2, seconds, () -> {
            signer.initSign(keys.getPrivate());
            signer.update(MESSAGE);
            return signer.sign();
        });
    }

    private static double verifyRate(String algorithm, KeyPair keys, Provider provider, double seconds)
            throws Exception {
        Signature signer = signature(algorithm, provider);
        signer.initSign(keys.getPrivate());
        signer.update(MESSAGE);
        byte[] signed = signer.sign();
        Signature verifier = signature(algorithm, provider);
        return Measure.opsPerSecond(seconds / 2, seconds, () -> {
            verifier.initVerify(keys.getPublic());
            verifier.update(MESSAGE);
            if (!verifier.verify(signed)) {
                throw new IllegalStateException("signature did not verify");
            }
            return null;
        });
    }

    /** Runs `openssl speed` and returns {sign/s, verify/s} for "ec" (P-256) and "rsa" (3072). */
    private static Map<String, double[]> opensslSpeed() {
        Map<String, double[]> rates = new HashMap<>();
        try {
            Process process = new ProcessBuilder("openssl", "speed", "-seconds", "2", "ecdsap256", "rsa3072")
                    .redirectErrorStream(true).start();
            Pattern rsa = Pattern.compile("^rsa 3072 bits\\s+\\S+s\\s+\\S+s\\s+([\\d.]+)\\s+([\\d.]+)");
            Pattern ec = Pattern.compile("^\\s*256 bits ecdsa \\(nistp256\\)\\s+\\S+s\\s+\\S+s\\s+([\\d.]+)\\s+([\\d.]+)");
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher m = rsa.matcher(line);
                    if (m.find()) {
                        rates.put("rsa", new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
                    }
                    m = ec.matcher(line);
                    if (m.find()) {
                        rates.put("ec", new double[]{Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
                    }
                }
            }
            process.waitFor();
        } catch (Exception e) {
            return Map.of();
        }
        return rates;
    }
}
