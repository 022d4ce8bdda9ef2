package io.palisade.control.operator;

import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import io.palisade.core.operator.Operator;
import io.palisade.core.operator.OperatorStore;
import io.palisade.core.operator.OperatorToken;
import io.palisade.core.operator.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operators: adding and removing them, passwords (Argon2id), TOTP, login with per-account lock-out, and API
 * tokens ({@code pot_...}, only their SHA-256 stored) that carry the operator's role, expire and can be
 * revoked. A login answers with a token too, valid {@link #LOGIN_SESSION}.
 *
 * <p>Lock-out: after {@value #FAILURES_BEFORE_LOCK} failed logins in a row an account takes none for 1 minute,
 * doubling with each further failure up to an hour; a good login resets it. Failures also count against the
 * source address ({@code FailureLimiter}), and the bootstrap admin token is never locked out, so an attacker
 * who locks every account still leaves the operator a way in.
 */
public final class OperatorService {

    public static final Duration LOGIN_SESSION = Duration.ofHours(12);
    /** A browser session ends after this long without a request (and at {@link #LOGIN_SESSION} in any case). */
    public static final Duration SESSION_IDLE = Duration.ofMinutes(30);
    static final String SESSION_LABEL = "session";
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);
    public static final int MIN_PASSWORD_LENGTH = 12;
    static final int FAILURES_BEFORE_LOCK = 5;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LAST_LOCK = Duration.ofHours(1);
    private static final String TOKEN_PREFIX = "pot_";
    private static final HexFormat HEX = HexFormat.of();

    private final OperatorStore store;
    private final PasswordHasher hasher;
    private final Events events;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /** The last TOTP step each operator used (a step is not accepted twice; forgotten at restart). */
    private final Map<String, Long> usedSteps = new ConcurrentHashMap<>();
    /** When each browser session was last used, by token id (forgotten at restart: then counted from the first request). */
    private final Map<String, Instant> sessionUse = new ConcurrentHashMap<>();
    /** Keys the CSRF tokens of browser sessions; new at each start, so a restart asks browsers to log in again. */
    private final byte[] csrfKey = new byte[32];

    public OperatorService(OperatorStore store, PasswordHasher hasher, Events events, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.events = events;
        this.clock = clock;
        random.nextBytes(csrfKey);
    }

    /** A browser session: its token (for the cookie) and the CSRF token every change must carry. */
    public record Session(IssuedToken token, String csrf) {
    }

    /** Who a session cookie stands for, and the session's token id. */
    public record SessionPrincipal(Principal principal, String tokenId) {
    }

    /** A login for a browser: a session token for an HttpOnly cookie, with its CSRF token. */
    public Session openSession(String name, char[] password, Optional<String> code, String source) throws Refusal {
        IssuedToken token = login(name, password, code, source, SESSION_LABEL);
        sessionUse.put(token.token().id(), clock.instant());
        return new Session(token, csrf(token.token().id()));
    }

    /**
     * The operator a session cookie stands for, while the session is valid and was used within
     * {@link #SESSION_IDLE}; each use keeps it alive.
     */
    public Optional<SessionPrincipal> authenticateSession(byte[] cookie) {
        Instant now = clock.instant();
        Optional<OperatorToken> token = liveSession(cookie, now);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        sessionUse.put(token.get().id(), now);
        return store.find(token.get().operator())
                .map(op -> new SessionPrincipal(new Principal(op.name(), op.role()), token.get().id()));
    }

    /**
     * Whether the session of {@code cookie} is still open (not revoked, expired or idle), without counting this as a
     * use: a long-lived stream asks it, and must not keep an unattended session alive by asking.
     */
    public boolean sessionOpen(byte[] cookie) {
        return liveSession(cookie, clock.instant()).flatMap(token -> store.find(token.operator())).isPresent();
    }

    /** The session token of {@code cookie} while valid and used within {@link #SESSION_IDLE}; an idle one is revoked. */
    private Optional<OperatorToken> liveSession(byte[] cookie, Instant now) {
        String text = new String(cookie, StandardCharsets.US_ASCII);
        if (!text.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Optional<OperatorToken> token = store.tokenByHash(sha256(text))
                .filter(t -> t.label().equals(SESSION_LABEL) && t.validAt(now));
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Instant last = sessionUse.getOrDefault(token.get().id(), now);
        if (now.isAfter(last.plus(SESSION_IDLE))) {
            sessionUse.remove(token.get().id());
            store.revokeToken(token.get().id(), now);
            return Optional.empty();
        }
        return token;
    }

    /** Whether {@code presented} is the CSRF token of session {@code tokenId} (constant time). */
    public boolean csrfMatches(String tokenId, String presented) {
        return presented != null && MessageDigest.isEqual(csrf(tokenId).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The CSRF token of session {@code tokenId}, for a server-rendered form to carry back. */
    public String csrfToken(String tokenId) {
        return csrf(tokenId);
    }

    /** Ends a browser session (logout). */
    public void closeSession(String tokenId) {
        sessionUse.remove(tokenId);
        store.revokeToken(tokenId, clock.instant());
    }

    private String csrf(String tokenId) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(csrfKey, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(tokenId.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** An operator just added, with the password Palisade made when none was given (shown this once). */
    public record Added(Operator operator, Optional<String> generatedPassword) {
    }

    /** A token just issued: the secret is shown this once. */
    public record IssuedToken(OperatorToken token, String secret) {
    }

    public Added add(String name, String role, Optional<char[]> password) throws Refusal {
        Role parsed;
        try {
            Operator.checkName(name);
            parsed = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
        Optional<String> generated = Optional.empty();
        char[] chosen;
        if (password.isPresent()) {
            chosen = password.get();
            checkStrength(chosen);
        } else {
            generated = Optional.of(randomText(15));
            chosen = generated.get().toCharArray();
        }
        Operator operator = new Operator(name, parsed, hasher.hash(chosen), Optional.empty(), 0, Optional.empty(),
                clock.instant());
        if (!store.add(operator)) {
            throw new Refusal(Refusal.Kind.CONFLICT, "there is already an operator '" + name + "'");
        }
        return new Added(operator, generated);
    }

    public List<Operator> list() {
        return store.list();
    }

    public void remove(String name) throws Refusal {
        if (!store.remove(name)) {
            throw unknown(name);
        }
        usedSteps.remove(name);
        removalListeners.forEach(listener -> listener.accept(name));
    }

    /** Told the name of each operator removed, after the removal is stored (the overlay cuts their tunnels). */
    public void onRemoved(java.util.function.Consumer<String> listener) {
        removalListeners.add(listener);
    }

    private final List<java.util.function.Consumer<String>> removalListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public void setPassword(String name, char[] password) throws Refusal {
        checkStrength(password);
        Operator operator = find(name);
        store.update(operator.withPassword(hasher.hash(password)));
    }

    /** Turns TOTP on with a new secret; returns the {@code otpauth://} URI for the operator's app. */
    public String enableTotp(String name) throws Refusal {
        Operator operator = find(name);
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        store.update(operator.withTotp(Optional.of(secret)));
        usedSteps.remove(name);
        return Totp.uri("Palisade", name, secret);
    }

    public void disableTotp(String name) throws Refusal {
        store.update(find(name).withTotp(Optional.empty()));
    }

    public IssuedToken issueToken(String name, String label, Duration lifetime) throws Refusal {
        if (label.equals(SESSION_LABEL)) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the label 'session' is kept for browser sessions");
        }
        return issue(name, label, lifetime);
    }

    private IssuedToken issue(String name, String label, Duration lifetime) throws Refusal {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_TOKEN_LIFETIME) > 0) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a token lives between 1 second and "
                    + MAX_TOKEN_LIFETIME.toDays() + " days");
        }
        if (label.isBlank() || label.length() > 64) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a token label is 1-64 characters");
        }
        find(name);
        String secret = TOKEN_PREFIX + randomText(32);
        Instant now = clock.instant();
        OperatorToken token = new OperatorToken("tok_" + randomText(6), name, sha256(secret), label, now,
                now.plus(lifetime), Optional.empty());
        store.addToken(token);
        return new IssuedToken(token, secret);
    }

    public List<OperatorToken> tokens(String name) throws Refusal {
        find(name);
        return store.tokensOf(name);
    }

    public void revokeToken(String id) throws Refusal {
        if (!store.revokeToken(id, clock.instant())) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no unrevoked token '" + id + "'");
        }
    }

    /**
     * Checks a login: password, then TOTP when the operator has it on. Every failure says only "login failed"
     * (which part was wrong, or whether the name exists, is for the event, not for the one trying), is recorded
     * as {@code auth.failed} against {@code source} and counts toward the account's lock-out.
     */
    public IssuedToken login(String name, char[] password, Optional<String> code, String source) throws Refusal {
        return login(name, password, code, source, "login");
    }

    private IssuedToken login(String name, char[] password, Optional<String> code, String source, String label)
            throws Refusal {
        Instant now = clock.instant();
        Optional<Operator> found = store.find(name);
        if (found.isEmpty()) {
            hasher.hash(password); // the same time as a real check: whether a name exists does not show
            throw failed(name, source, "no such operator");
        }
        Operator operator = found.get();
        if (operator.lockedUntil().isPresent() && now.isBefore(operator.lockedUntil().get())) {
            hasher.hash(password); // a locked account answers as slowly and as vaguely as a wrong password
            throw failed(name, source, "account locked until " + operator.lockedUntil().get());
        }
        boolean good = hasher.matches(password, operator.passwordHash());
        String why = "wrong password";
        if (good && operator.totpSecret().isPresent()) {
            long step = Totp.verify(operator.totpSecret().get(), code.orElse(null), now, usedSteps.getOrDefault(name, -1L));
            good = step >= 0;
            why = code.isEmpty() ? "no TOTP code" : "wrong or reused TOTP code";
            if (good) {
                usedSteps.put(name, step);
            }
        }
        if (!good) {
            throw failed(name, source, why + countFailure(operator, now));
        }
        if (operator.failures() > 0 || operator.lockedUntil().isPresent()) {
            store.update(operator.withFailures(0, Optional.empty()));
        }
        IssuedToken session = issue(name, label, LOGIN_SESSION);
        events.emit(events.event(EventType.AUTH_SUCCEEDED, Severity.INFO, null, source, "operator " + name
                + " logged in").withDetails(Map.of("operator", name, "role", operator.role().wireName())));
        return session;
    }

    /**
     * Counts a failed password against the account, locking it after {@value #FAILURES_BEFORE_LOCK} in a row (1 minute,
     * doubling up to an hour); answers what to add to the event's reason.
     */
    private String countFailure(Operator operator, Instant now) {
        int failures = operator.failures() + 1;
        Optional<Instant> lock = Optional.empty();
        if (failures >= FAILURES_BEFORE_LOCK) {
            Duration length = FIRST_LOCK.multipliedBy(1L << Math.min(10, failures - FAILURES_BEFORE_LOCK));
            lock = Optional.of(now.plus(length.compareTo(LAST_LOCK) > 0 ? LAST_LOCK : length));
        }
        store.update(operator.withFailures(failures, lock));
        return lock.isPresent() ? "; account locked until " + lock.get() : "";
    }

    /**
     * An operator changing their own password: the current one must be right (a wrong one counts toward the
     * lock-out, so a stolen session cannot be used to guess it), the new one strong enough and different. Their
     * other browser sessions end (the one asking, {@code keepSession}, stays); API tokens stay, as they belong to
     * systems, not to the password.
     */
    public void changeOwnPassword(String name, char[] current, char[] replacement, String source,
                                  Optional<String> keepSession) throws Refusal {
        checkStrength(replacement);
        Operator operator = find(name);
        Instant now = clock.instant();
        if (operator.lockedUntil().isPresent() && now.isBefore(operator.lockedUntil().get())) {
            throw new Refusal(Refusal.Kind.FORBIDDEN, "the account is locked until " + operator.lockedUntil().get()
                    + " after wrong passwords");
        }
        if (!hasher.matches(current, operator.passwordHash())) {
            String lock = countFailure(operator, now);
            events.emit(events.event(EventType.AUTH_FAILED, Severity.MEDIUM, null, source, "operator " + name
                    + " gave a wrong current password to change it" + lock).withDetails(Map.of("operator", name)));
            throw new Refusal(Refusal.Kind.FORBIDDEN, "the current password is not right" + lock);
        }
        if (java.util.Arrays.equals(current, replacement)) {
            throw new Refusal(Refusal.Kind.MALFORMED, "the new password is the current one; choose another");
        }
        store.update(operator.withPassword(hasher.hash(replacement)).withFailures(0, Optional.empty()));
        for (OperatorToken token : store.tokensOf(name)) {
            if (token.label().equals(SESSION_LABEL) && token.revoked().isEmpty()
                    && !keepSession.map(token.id()::equals).orElse(false)) {
                sessionUse.remove(token.id());
                store.revokeToken(token.id(), now);
            }
        }
    }

    /** The operator a presented {@code pot_} token stands for, while it is valid and its operator exists. */
    public Optional<Principal> authenticate(byte[] presented) {
        String text = new String(presented, StandardCharsets.US_ASCII);
        if (!text.startsWith(TOKEN_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.tokenByHash(sha256(text)).filter(token -> token.validAt(now) && !token.label().equals(SESSION_LABEL))
                .flatMap(token -> store.find(token.operator())).map(op -> new Principal(op.name(), op.role()));
    }

    /** The event names the reason; the one trying learns only that the login failed. */
    private Refusal failed(String name, String source, String why) {
        events.emit(events.event(EventType.AUTH_FAILED, Severity.MEDIUM, null, source, "operator login failed for '"
                + name + "': " + why).withDetails(Map.of("operator", name)));
        return new Refusal(Refusal.Kind.UNAUTHENTICATED, "login failed");
    }

    private Operator find(String name) throws Refusal {
        return store.find(name).orElseThrow(() -> unknown(name));
    }

    private static Refusal unknown(String name) {
        return new Refusal(Refusal.Kind.NOT_FOUND, "there is no operator '" + name + "'");
    }

    private static void checkStrength(char[] password) throws Refusal {
        if (password.length < MIN_PASSWORD_LENGTH) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a password has at least " + MIN_PASSWORD_LENGTH
                    + " characters (leave it out to have one made)");
        }
    }

    private String randomText(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String sha256(String text) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
