package io.palisade.control.operator;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106) over Bouncy Castle, stored as a PHC string {@code $argon2id$v=19$m=M,t=T,p=P$SALT$HASH}
 * (unpadded base64), so that stored hashes keep their own parameters when the defaults change. The defaults,
 * 64 MiB, 5 passes, 1 lane, take about 0.3 s on the 2-core machine this was tuned on. At most
 * {@value #CONCURRENT} hashes run at once: each holds 64 MiB, and a burst of logins must not exhaust the heap.
 */
public final class PasswordHasher {

    public static final int MEMORY_KIB = 64 * 1024;
    public static final int ITERATIONS = 5;
    public static final int PARALLELISM = 1;
    static final int CONCURRENT = 2;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final Semaphore slots = new Semaphore(CONCURRENT, true);
    private final SecureRandom random = new SecureRandom();

    public PasswordHasher() {
        this(MEMORY_KIB, ITERATIONS);
    }

    /** Lighter parameters, for tests that hash many passwords. */
    public PasswordHasher(int memoryKib, int iterations) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
    }

    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code phc}; false (never an exception) for a malformed stored hash. */
    public boolean matches(char[] password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String parameter : parts[3].split(",")) {
                int value = Integer.parseInt(parameter.substring(2));
                switch (parameter.substring(0, 2)) {
                    case "m=" -> m = value;
                    case "t=" -> t = value;
                    case "p=" -> p = value;
                    default -> {
                        return false;
                    }
                }
            }
            if (m < 8 * p || m > 2 * MEMORY_KIB || t < 1 || t > 20 || p < 1 || p > 16) {
                return false; // RFC 9106 wants m >= 8p; the upper bounds keep an edited row from taking the heap
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            if (salt.length < 8 || salt.length > 64 || expected.length < 16 || expected.length > 64) {
                return false;
            }
            return MessageDigest.isEqual(derive(password, salt, m, t, p, expected.length), expected);
        } catch (IllegalArgumentException | IllegalStateException | StringIndexOutOfBoundsException e) {
            return false; // a stored hash Argon2 cannot take (found by OperatorFuzzTest: a 1-byte hash)
        }
    }

    private byte[] derive(char[] password, byte[] salt, int m, int t, int p, int length) {
        slots.acquireUninterruptibly();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(m).withIterations(t)
                    .withParallelism(p).withSalt(salt).build());
            byte[] out = new byte[length];
            generator.generateBytes(password, out);
            return out;
        } finally {
            slots.release();
        }
    }
}
