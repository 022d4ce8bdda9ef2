package io.palisade.control.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.control.service.Events;
import io.palisade.control.service.Refusal;
import io.palisade.core.event.EventQuery;
import io.palisade.core.event.EventType;
import io.palisade.core.event.SecurityEvent;
import io.palisade.core.operator.Role;
import io.palisade.core.time.ManualClock;
import io.palisade.store.Database;
import io.palisade.store.SqlEventStore;
import io.palisade.store.SqlOperatorStore;
import io.palisade.store.StoreUrl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators on a real store: passwords, lock-out, TOTP (checked against oathtool), tokens. */
class OperatorServiceTest {

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
    private Database database;
    private SqlEventStore events;
    private SqlOperatorStore store;
    private OperatorService operators;

    @BeforeEach
    void open() {
        database = Database.open(StoreUrl.sqlite(dir.resolve("ops.db")));
        events = new SqlEventStore(database);
        store = new SqlOperatorStore(database);
        operators = new OperatorService(store, new PasswordHasher(8 * 1024, 1), new Events(events, clock), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static char[] chars(String text) {
        return text.toCharArray();
    }

    @Test
    void the_default_hash_is_argon2id_with_its_parameters_in_the_phc_string() {
        PasswordHasher hasher = new PasswordHasher();
        String phc = hasher.hash(chars("correct horse battery"));
        assertThat(phc).startsWith("$argon2id$v=19$m=65536,t=5,p=1$");
        assertThat(hasher.matches(chars("correct horse battery"), phc)).isTrue();
        assertThat(hasher.matches(chars("correct horse batterz"), phc)).isFalse();
        assertThat(hasher.matches(chars("x"), "$argon2id$v=19$m=99999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).as("absurd memory").isFalse();
        assertThat(hasher.matches(chars("x"), "not a hash")).isFalse();
    }

    @Test
    void an_operator_changes_their_own_password_and_their_other_sessions_end() throws Exception {
        operators.add("alice", "viewer", Optional.of(chars("first password 1")));
        OperatorService.Session here = operators.openSession("alice", chars("first password 1"), Optional.empty(), "10.0.0.9");
        OperatorService.Session elsewhere = operators.openSession("alice", chars("first password 1"), Optional.empty(),
                "10.0.0.7");
        OperatorService.IssuedToken api = operators.issueToken("alice", "ci", Duration.ofDays(30));
        String hereId = here.token().token().id();

        assertThatThrownBy(() -> operators.changeOwnPassword("alice", chars("wrong guess 123"), chars("second password 2"),
                "10.0.0.9", Optional.of(hereId))).isInstanceOf(Refusal.class)
                .hasMessageContaining("current password is not right");
        assertThat(store.find("alice").orElseThrow().failures()).as("a wrong current password counts").isEqualTo(1);
        assertThatThrownBy(() -> operators.changeOwnPassword("alice", chars("first password 1"), chars("short"),
                "10.0.0.9", Optional.of(hereId))).hasMessageContaining("at least 12 characters");
        assertThatThrownBy(() -> operators.changeOwnPassword("alice", chars("first password 1"), chars("first password 1"),
                "10.0.0.9", Optional.of(hereId))).hasMessageContaining("choose another");

        operators.changeOwnPassword("alice", chars("first password 1"), chars("second password 2"), "10.0.0.9",
                Optional.of(hereId));
        assertThat(store.find("alice").orElseThrow().failures()).isZero();
        assertThat(operators.sessionOpen(here.token().secret().getBytes(StandardCharsets.US_ASCII))).as("this one")
                .isTrue();
        assertThat(operators.sessionOpen(elsewhere.token().secret().getBytes(StandardCharsets.US_ASCII)))
                .as("the other browser").isFalse();
        assertThat(operators.authenticate(api.secret().getBytes(StandardCharsets.US_ASCII))).as("API tokens stay")
                .isPresent();
        assertThatThrownBy(() -> operators.login("alice", chars("first password 1"), Optional.empty(), "10.0.0.9"))
                .hasMessage("login failed");
        assertThat(operators.login("alice", chars("second password 2"), Optional.empty(), "10.0.0.9")).isNotNull();
    }

    @Test
    void wrong_current_passwords_lock_the_account_like_wrong_logins() throws Exception {
        operators.add("bob", "viewer", Optional.of(chars("first password 1")));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> operators.changeOwnPassword("bob", chars("wrong guess 123"),
                    chars("second password 2"), "10.0.0.9", Optional.empty())).isInstanceOf(Refusal.class);
        }
        assertThatThrownBy(() -> operators.changeOwnPassword("bob", chars("first password 1"), chars("second password 2"),
                "10.0.0.9", Optional.empty())).hasMessageContaining("locked until");
        assertThatThrownBy(() -> operators.login("bob", chars("first password 1"), Optional.empty(), "10.0.0.9"))
                .as("a stolen session cannot guess the password past the lock-out").hasMessage("login failed");
    }

    @Test
    void a_generated_password_logs_in_and_the_token_carries_the_role_until_it_expires_or_is_revoked() throws Exception {
        OperatorService.Added added = operators.add("alice", "operator", Optional.empty());
        assertThat(added.generatedPassword()).isPresent();
        OperatorService.IssuedToken session = operators.login("alice", chars(added.generatedPassword().get()),
                Optional.empty(), "10.0.0.9");
        byte[] secret = session.secret().getBytes(StandardCharsets.US_ASCII);
        assertThat(operators.authenticate(secret)).contains(new Principal("alice", Role.OPERATOR));
        assertThat(store.tokensOf("alice")).singleElement().satisfies(token ->
                assertThat(token.hash()).isNotEqualTo(session.secret()).hasSize(64));
        clock.advance(OperatorService.LOGIN_SESSION.plusSeconds(1));
        assertThat(operators.authenticate(secret)).as("expired").isEmpty();

        OperatorService.IssuedToken api = operators.issueToken("alice", "ci", Duration.ofDays(30));
        assertThat(operators.authenticate(api.secret().getBytes(StandardCharsets.US_ASCII))).isPresent();
        operators.revokeToken(api.token().id());
        assertThat(operators.authenticate(api.secret().getBytes(StandardCharsets.US_ASCII))).as("revoked").isEmpty();
        operators.remove("alice");
        assertThat(store.tokensOf("alice")).isEmpty();
    }

    @Test
    void a_browser_session_ends_after_idle_time_and_only_its_own_csrf_token_matches() throws Exception {
        operators.add("erin", "viewer", Optional.of(chars("erin's long passphrase")));
        OperatorService.Session one = operators.openSession("erin", chars("erin's long passphrase"), Optional.empty(), "10.0.0.2");
        OperatorService.Session two = operators.openSession("erin", chars("erin's long passphrase"), Optional.empty(), "10.0.0.2");
        byte[] cookie = one.token().secret().getBytes(StandardCharsets.US_ASCII);
        assertThat(operators.authenticate(cookie)).as("a session token is no bearer token").isEmpty();
        String id = one.token().token().id();
        assertThat(operators.csrfMatches(id, one.csrf())).isTrue();
        assertThat(operators.csrfMatches(id, two.csrf())).as("another session's token").isFalse();
        assertThat(operators.csrfMatches(id, null)).isFalse();
        clock.advance(OperatorService.SESSION_IDLE.minusMinutes(1));
        assertThat(operators.authenticateSession(cookie)).as("used in time: kept alive").isPresent();
        clock.advance(OperatorService.SESSION_IDLE.minusMinutes(1));
        assertThat(operators.authenticateSession(cookie)).isPresent();
        clock.advance(OperatorService.SESSION_IDLE.plusSeconds(1));
        assertThat(operators.authenticateSession(cookie)).as("idle too long").isEmpty();
        assertThat(store.tokensOf("erin")).filteredOn(t -> t.id().equals(id)).singleElement()
                .satisfies(t -> assertThat(t.revoked()).isPresent());
        assertThatThrownBy(() -> operators.issueToken("erin", "session", Duration.ofDays(1)))
                .hasMessageContaining("kept for browser sessions");
    }

    @Test
    void a_short_password_a_bad_role_or_name_and_a_taken_name_are_refused() throws Exception {
        assertThatThrownBy(() -> operators.add("bob", "admin", Optional.of(chars("short")))).isInstanceOf(Refusal.class)
                .hasMessageContaining("at least 12 characters");
        assertThatThrownBy(() -> operators.add("bob", "root", Optional.empty())).hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> operators.add("Bob Smith", "admin", Optional.empty())).hasMessageContaining("operator name");
        operators.add("bob", "viewer", Optional.of(chars("a long passphrase")));
        assertThatThrownBy(() -> operators.add("bob", "viewer", Optional.empty())).hasMessageContaining("already");
    }

    @Test
    void failures_lock_the_account_with_back_off_and_every_failure_says_only_login_failed() throws Exception {
        operators.add("carol", "admin", Optional.of(chars("the right passphrase")));
        for (int i = 0; i < OperatorService.FAILURES_BEFORE_LOCK; i++) {
            assertThatThrownBy(() -> operators.login("carol", chars("wrong passphrase!"), Optional.empty(), "203.0.113.7"))
                    .isInstanceOf(Refusal.class).hasMessage("login failed");
        }
        assertThatThrownBy(() -> operators.login("carol", chars("the right passphrase"), Optional.empty(), "203.0.113.7"))
                .as("locked: even the right password").hasMessage("login failed");
        assertThatThrownBy(() -> operators.login("nobody", chars("the right passphrase"), Optional.empty(), "203.0.113.7"))
                .as("an unknown name looks the same").hasMessage("login failed");
        clock.advance(OperatorService.FIRST_LOCK.plusSeconds(1));
        operators.login("carol", chars("the right passphrase"), Optional.empty(), "203.0.113.7");
        assertThat(store.find("carol").orElseThrow().failures()).isZero();
        List<SecurityEvent> failed = events.query(EventQuery.all()).stream()
                .filter(e -> e.type() == EventType.AUTH_FAILED).toList();
        assertThat(failed).allSatisfy(e -> {
            assertThat(e.source()).as("attributed to the address").isEqualTo("203.0.113.7");
            assertThat(e.device()).isEmpty();
        });
        assertThat(failed).extracting(SecurityEvent::message).anyMatch(m -> m.contains("account locked until"))
                .anyMatch(m -> m.contains("no such operator"));
    }

    @Test
    void totp_codes_agree_with_oathtool_and_a_used_code_is_not_taken_twice() throws Exception {
        operators.add("dave", "auditor", Optional.of(chars("dave's long passphrase")));
        String uri = operators.enableTotp("dave");
        assertThat(uri).startsWith("otpauth://totp/Palisade:dave?secret=").contains("&digits=6&period=30");
        String base32 = uri.substring(uri.indexOf("secret=") + 7, uri.indexOf('&'));
        String code = oathtool(base32, clock.instant());
        assertThat(code).isEqualTo(Totp.code(store.find("dave").orElseThrow().totpSecret().orElseThrow(),
                Totp.step(clock.instant())));
        assertThatThrownBy(() -> operators.login("dave", chars("dave's long passphrase"), Optional.empty(), "10.0.0.1"))
                .as("TOTP on: a code is needed").hasMessage("login failed");
        assertThat(operators.login("dave", chars("dave's long passphrase"), Optional.of(code), "10.0.0.1")).isNotNull();
        assertThatThrownBy(() -> operators.login("dave", chars("dave's long passphrase"), Optional.of(code), "10.0.0.1"))
                .as("replayed").hasMessage("login failed");
        clock.advance(Duration.ofSeconds(30));
        assertThat(operators.login("dave", chars("dave's long passphrase"),
                Optional.of(oathtool(base32, clock.instant())), "10.0.0.1")).isNotNull();
        // RFC 6238's SHA-1 vectors (8 digits there; the last 6 here)
        byte[] rfcSecret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        assertThat(Totp.code(rfcSecret, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(rfcSecret, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(Totp.base32(rfcSecret)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    private static String oathtool(String base32, Instant at) throws Exception {
        Process process = new ProcessBuilder("oathtool", "--totp", "--base32", base32, "--now", "@" + at.getEpochSecond())
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
