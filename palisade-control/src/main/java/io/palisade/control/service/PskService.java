package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.device.PreSharedKeys;
import io.palisade.core.secret.SecretBytes;
import io.palisade.core.secret.SecretSealer;
import io.palisade.store.SqlPskStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Devices' pre-shared keys for CoAP over DTLS: 128 random bits written as 32 hexadecimal characters (the key is that
 * text, as constrained devices and tools such as {@code coap-client -k} take a PSK), shown once when issued, stored
 * sealed ({@link SecretSealer}, context {@code psk:ID}). Issuing again replaces the key: the old one stops working at
 * the next handshake. Each issue is an {@code admin.change} event (without the key).
 */
public final class PskService implements PreSharedKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int KEY_BYTES = 16;

    private final SqlPskStore store;
    private final DeviceRegistry registry;
    private final SecretSealer sealer;
    private final Events events;
    private final Clock clock;

    public PskService(SqlPskStore store, DeviceRegistry registry, SecretSealer sealer, Events events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.sealer = sealer;
        this.events = events;
        this.clock = clock;
    }

    /** Issues (or replaces) the device's key; the caller shows it once and closes it. */
    public SecretBytes issue(String device, String actor) throws Refusal {
        DeviceId id = RegisteredDevices.unrevoked(registry, device).id();
        byte[] random = new byte[KEY_BYTES];
        RANDOM.nextBytes(random);
        byte[] text = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        SecretBytes.wipe(random);
        boolean replaced = store.put(id, sealer.seal(text, context(id)), clock.instant());
        events.change(actor, "device-psk", id.value(), replaced ? "a key" : "none", "a new key");
        return SecretBytes.wrap(text);
    }

    @Override
    public Optional<SecretBytes> find(DeviceId device) {
        return store.find(device).map(sealed -> sealer.open(sealed, context(device)));
    }

    private static String context(DeviceId device) {
        return "psk:" + device.value();
    }
}
