package io.palisade.bench;

import io.palisade.firmware.image.FirmwareImage;
import io.palisade.firmware.image.FirmwareKeys;
import io.palisade.firmware.image.ImageSigner;
import io.palisade.firmware.image.ImageVerifier;
import io.palisade.firmware.image.ImageVersion;
import io.palisade.firmware.image.Tlv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Image verification time (parse, SHA-256, key hash, ECDSA P-256 signature) for 1 MiB and 16 MiB
 * images, beside {@code openssl dgst -sha256 -verify} on the same covered bytes and signature.
 */
final class FirmwareBench {

    private FirmwareBench() {
    }

    static void run() throws Exception {
        Path dir = Files.createTempDirectory("palisade-bench-fw");
        KeyPair keys = FirmwareKeys.generate(FirmwareKeys.Type.ECDSA_P256);
        Path publicKey = FirmwareKeys.write(keys, dir.resolve("key.pem"));
        System.out.println("== Firmware image verification (ECDSA P-256, SHA-256) ==");
        System.out.printf("%-8s %14s %16s %8s%n", "size", "Palisade ms", "openssl ms", "ratio");
        for (int mebibytes : new int[]{1, 16}) {
            byte[] payload = new byte[mebibytes * 1024 * 1024];
            new SecureRandom().nextBytes(payload);
            byte[] image = ImageSigner.sign(payload, ImageSigner.softwareKey(keys.getPrivate(), keys.getPublic()),
                    ImageVersion.parse("1.0.0"), OptionalLong.of(1), 0x200, 0);
            FirmwareImage parsed = FirmwareImage.parse(image);
            Path covered = dir.resolve("covered-" + mebibytes);
            Path signature = dir.resolve("sig-" + mebibytes);
            Files.write(covered, Arrays.copyOf(image, parsed.coveredLength()));
            Files.write(signature, parsed.unprotected(Tlv.ECDSA_SIG).orElseThrow().value());

            double palisade = millisPerRun(20, () -> ImageVerifier.verify(FirmwareImage.parse(image),
                    List.of(keys.getPublic()), 0));
            double openssl = millisPerRun(10, () -> {
                Process process = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", publicKey.toString(),
                        "-signature", signature.toString(), covered.toString()).redirectErrorStream(true).start();
                process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("openssl did not verify the image");
                }
                return null;
            });
            System.out.printf("%-8s %14.2f %16.2f %7.2fx%n", mebibytes + " MiB", palisade, openssl, openssl / palisade);
        }
        System.out.println("(ratio > 1: Palisade is faster; openssl's time includes starting the process)");
        System.out.println();
    }

    private static double millisPerRun(int runs, java.util.concurrent.Callable<?> work) throws Exception {
        for (int i = 0; i < 3; i++) {
            work.call();
        }
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            work.call();
        }
        return (System.nanoTime() - start) / 1e6 / runs;
    }
}
