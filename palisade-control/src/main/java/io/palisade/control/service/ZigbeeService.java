package io.palisade.control.service;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.DeviceRegistry;
import io.palisade.core.radio.IeeeAddress;
import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.core.secret.SecretBytes;
import io.palisade.core.secret.SecretSealer;
import io.palisade.store.SqlZigbeeStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ZigBee / 802.15.4 network in the registry: network keys by key sequence number, 802.15.4 MAC keys by key index,
 * link keys by IEEE address (all 128-bit AES keys, stored sealed with context {@code zigbee:KIND:NAME}), and which
 * registered device each IEEE address is. A key is given (copied from the coordinator's configuration) or generated
 * (then answered once, to be loaded into the coordinator). The well-known default trust-center link key is refused
 * as a device's link key: the verifier knows it already and flags what it protects. Every change is an
 * {@code admin.change} event, without key material; {@link #keyring()} is the opened snapshot the ingest verifies
 * with, rebuilt after each change.
 */
public final class ZigbeeService {

    public enum KeyKind {
        NETWORK, MAC, LINK;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static KeyKind parse(String text) throws Refusal {
            for (KeyKind kind : values()) {
                if (kind.wireName().equals(text)) {
                    return kind;
                }
            }
            throw new Refusal(Refusal.Kind.MALFORMED, "key kind '" + text + "' is not network, mac or link");
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] DEFAULT_TC_LINK_KEY = "ZigBeeAlliance09".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int KEY_BYTES = 16;

    private final SqlZigbeeStore store;
    private final DeviceRegistry registry;
    private final SecretSealer sealer;
    private final Events events;
    private final Clock clock;
    private volatile ZigbeeKeyring keyring;

    public ZigbeeService(SqlZigbeeStore store, DeviceRegistry registry, SecretSealer sealer, Events events,
                         Clock clock) {
        this.store = store;
        this.registry = registry;
        this.sealer = sealer;
        this.events = events;
        this.clock = clock;
        this.keyring = load();
    }

    /** A stored key without its material. */
    public record KeyInfo(String kind, String name, java.time.Instant createdAt) {
    }

    public ZigbeeKeyring keyring() {
        return keyring;
    }

    /**
     * Adds or replaces a key. {@code hex} empty: a random key, answered (and only then) so the operator can load it.
     *
     * @param name the key sequence number (network) or key index (mac), 0–255; or the IEEE address (link)
     */
    public Optional<SecretBytes> putKey(String kindText, String name, Optional<String> hex, String actor)
            throws Refusal {
        KeyKind kind = KeyKind.parse(kindText);
        String canonical = canonicalName(kind, name);
        byte[] key = hex.isPresent() ? parseKey(hex.get()) : random();
        try {
            if (kind == KeyKind.LINK && MessageDigest.isEqual(key, DEFAULT_TC_LINK_KEY)) {
                throw new Refusal(Refusal.Kind.CONFLICT, "that is the well-known default trust-center link key "
                        + "'ZigBeeAlliance09': it protects nothing (Palisade already tries it, and flags every frame "
                        + "it opens); give the device an install-code or unique link key");
            }
            boolean replaced = store.putKey(kind.wireName(), canonical, sealer.seal(key, context(kind, canonical)),
                    clock.instant());
            events.change(actor, "zigbee-" + kind.wireName() + "-key", canonical, replaced ? "a key" : "none",
                    hex.isPresent() ? "a given key" : "a generated key");
            keyring = load();
            return hex.isPresent() ? Optional.empty() : Optional.of(SecretBytes.copyOf(key));
        } finally {
            SecretBytes.wipe(key);
        }
    }

    public void deleteKey(String kindText, String name, String actor) throws Refusal {
        KeyKind kind = KeyKind.parse(kindText);
        String canonical = canonicalName(kind, name);
        if (!store.deleteKey(kind.wireName(), canonical)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, "there is no ZigBee " + kind.wireName() + " key " + canonical);
        }
        events.change(actor, "zigbee-" + kind.wireName() + "-key", canonical, "a key", "none");
        keyring = load();
    }

    /** Binds an IEEE address to a registered device: its verified reports go to that device's topics. */
    public String bind(String ieee, String device, String actor) throws Refusal {
        String address = canonicalIeee(ieee);
        DeviceId id = RegisteredDevices.find(registry, device).id();
        Optional<SqlZigbeeStore.Binding> before = store.bindings().stream().filter(b -> b.ieee().equals(address))
                .findFirst();
        store.bind(address, id, clock.instant());
        events.change(actor, "zigbee-binding", address, before.map(b -> b.device().value()).orElse("none"),
                id.value());
        keyring = load();
        return address;
    }

    public void unbind(String ieee, String actor) throws Refusal {
        String address = canonicalIeee(ieee);
        if (!store.unbind(address)) {
            throw new Refusal(Refusal.Kind.NOT_FOUND, address + " is bound to no device");
        }
        events.change(actor, "zigbee-binding", address, "bound", "none");
        keyring = load();
    }

    public List<KeyInfo> keys() {
        return store.keys().stream().map(k -> new KeyInfo(k.kind(), k.name(), k.createdAt())).toList();
    }

    public List<SqlZigbeeStore.Binding> bindings() {
        return store.bindings();
    }

    private ZigbeeKeyring load() {
        Map<Integer, byte[]> network = new HashMap<>();
        Map<Integer, byte[]> mac = new HashMap<>();
        Map<Long, byte[]> link = new HashMap<>();
        for (SqlZigbeeStore.StoredKey stored : store.keys()) {
            byte[] key;
            try (SecretBytes opened = sealer.open(stored.sealed(), "zigbee:" + stored.kind() + ":" + stored.name())) {
                key = opened.copy();
            }
            switch (stored.kind()) {
                case "network" -> network.put(Integer.parseInt(stored.name()), key);
                case "mac" -> mac.put(Integer.parseInt(stored.name()), key);
                case "link" -> link.put(IeeeAddress.parse(stored.name()), key);
                default -> SecretBytes.wipe(key); // a kind a later version added: not for this one
            }
        }
        Map<Long, DeviceId> devices = new HashMap<>();
        store.bindings().forEach(b -> devices.put(IeeeAddress.parse(b.ieee()), b.device()));
        return new ZigbeeKeyring(network, mac, link, devices, ZigbeeKeyring.DEFAULT_LEVEL);
    }

    private static String canonicalName(KeyKind kind, String name) throws Refusal {
        if (kind == KeyKind.LINK) {
            return canonicalIeee(name);
        }
        try {
            int number = Integer.parseInt(name.trim());
            if (number < 0 || number > 255) {
                throw new NumberFormatException();
            }
            return Integer.toString(number);
        } catch (NumberFormatException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a " + kind.wireName() + " key is named by a number 0-255 ("
                    + (kind == KeyKind.NETWORK ? "its key sequence number" : "its key index") + "), not '" + name
                    + "'");
        }
    }

    private static String canonicalIeee(String text) throws Refusal {
        try {
            return IeeeAddress.format(IeeeAddress.parse(text));
        } catch (IllegalArgumentException e) {
            throw new Refusal(Refusal.Kind.MALFORMED, e.getMessage());
        }
    }

    private static byte[] parseKey(String hex) throws Refusal {
        String digits = hex.trim().replace(":", "").replace(" ", "");
        if (digits.length() != 2 * KEY_BYTES || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new Refusal(Refusal.Kind.MALFORMED, "a ZigBee key is 16 bytes: 32 hex digits (colons allowed)");
        }
        return HexFormat.of().parseHex(digits);
    }

    private static byte[] random() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String context(KeyKind kind, String name) {
        return "zigbee:" + kind.wireName() + ":" + name;
    }
}
