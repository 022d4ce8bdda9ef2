package io.palisade.core.operator;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person or system allowed to administer Palisade.
 *
 * @param passwordHash  the Argon2id hash in PHC string form ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash})
 * @param totpSecret    the RFC 6238 shared secret, when TOTP is on
 * @param failures      failed logins since the last good one
 * @param lockedUntil   when the account takes logins again after too many failures
 */
public record Operator(String name, Role role, String passwordHash, Optional<byte[]> totpSecret, int failures,
                       Optional<Instant> lockedUntil, Instant created) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Operator {
        checkName(name);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(totpSecret, "totpSecret");
        Objects.requireNonNull(lockedUntil, "lockedUntil");
        Objects.requireNonNull(created, "created");
    }

    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an operator name is 1-64 lower-case letters, digits, '.', '-' or '_',"
                    + " starting with a letter or digit; got '" + name + "'");
        }
        return name;
    }

    public Operator withFailures(int count, Optional<Instant> until) {
        return new Operator(name, role, passwordHash, totpSecret, count, until, created);
    }

    public Operator withPassword(String hash) {
        return new Operator(name, role, hash, totpSecret, 0, Optional.empty(), created);
    }

    public Operator withTotp(Optional<byte[]> secret) {
        return new Operator(name, role, passwordHash, secret, failures, lockedUntil, created);
    }
}
