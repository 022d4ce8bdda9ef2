package io.palisade.radio.zigbee;

import io.palisade.core.device.DeviceId;
import io.palisade.core.radio.ZigbeeKeyring;
import io.palisade.radio.capture.CapturedFrame;
import io.palisade.radio.ieee802154.AuxSecurityHeader;
import io.palisade.radio.ieee802154.CcmStar;
import io.palisade.radio.ieee802154.FrameFormatException;
import io.palisade.radio.ieee802154.FrameType;
import io.palisade.radio.ieee802154.MacAddress;
import io.palisade.radio.ieee802154.MacFrame;
import io.palisade.radio.ieee802154.MacFrameParser;
import io.palisade.radio.ieee802154.MacSecurity;
import io.palisade.radio.ieee802154.SecurityLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Verifies one frame through each layer that secures it — 802.15.4 MAC security (by key index), ZigBee NWK security
 * (network key by sequence number), APS security (link key, or the key-transport / key-load key hashed from it) — and
 * keeps each sender's frame counters per key. Only a frame whose every secured layer verified and whose counters are
 * new is forwarded; nothing is forwarded that no key vouches for. Not thread-safe: one ingest thread owns it.
 */
public final class ZigbeeVerifier {

    private final CounterWindows windows;

    ZigbeeVerifier(CounterWindows windows) {
        this.windows = windows;
    }

    /** A verifier whose windows start from, but are not saved to, {@code counters} (benchmarks, offline checks). */
    public static ZigbeeVerifier over(io.palisade.core.radio.FrameCounters counters) {
        return new ZigbeeVerifier(new CounterWindows(counters));
    }

    public Verdict verify(CapturedFrame captured, ZigbeeKeyring keyring) {
        try {
            return verifyLayers(captured.frame(), captured.time(), keyring);
        } catch (FrameFormatException e) {
            return new Verdict.Flagged(RadioFinding.MALFORMED, "unknown", e.getMessage());
        } catch (Rejected r) {
            return r.verdict;
        }
    }

    private Verdict verifyLayers(byte[] bytes, Instant time, ZigbeeKeyring keyring)
            throws FrameFormatException, Rejected {
        MacFrame mac = MacFrameParser.parse(bytes);
        byte[] macPayload = mac.secured() ? openMac(mac, time, keyring) : mac.payload();
        if (mac.type() != FrameType.DATA) {
            return new Verdict.Ignored("802.15.4 " + mac.type().name().toLowerCase(java.util.Locale.ROOT) + " frame");
        }
        NwkFrame nwk = NwkFrameParser.parse(macPayload);
        String claimed = claimedSource(nwk);
        SecurityLevel level = SecurityLevel.of(keyring.level());
        OptionalLong nwkSource;
        byte[] nwkPayload;
        if (nwk.secured()) {
            ZigbeeAuxHeader aux = nwk.security().get();
            if (aux.keyId() != ZigbeeAuxHeader.KeyId.NETWORK) {
                throw flag(RadioFinding.MALFORMED, claimed, "NWK frame secured with key identifier "
                        + aux.keyId() + ", not the network key");
            }
            byte[] key = keyring.networkKeys().get(aux.keySequence());
            if (key == null) {
                throw flag(RadioFinding.UNKNOWN_KEY, claimed, "no network key with sequence number "
                        + aux.keySequence());
            }
            long source = aux.source().orElse(nwk.sourceIeee().orElseThrow(() -> flag(RadioFinding.MALFORMED,
                    claimed, "secured NWK frame names no IEEE address for its nonce")));
            try {
                nwkPayload = ZigbeeSecurity.open(nwk.bytes(), nwk.headerLength(), aux, source, key, level);
            } catch (CcmStar.MicMismatch e) {
                throw flag(RadioFinding.MIC_FAILURE, claimed, "NWK MIC does not match under network key "
                        + aux.keySequence());
            }
            if (!level.authenticated()) {
                throw flag(RadioFinding.UNSECURED_FRAME, claimed, "the network's security level " + level
                        + " has no MIC");
            }
            admit(source, "nwk:" + aux.keySequence(), aux.frameCounter(), time, claimed);
            if (nwk.frameType() != NwkFrame.DATA) {
                return new Verdict.Ignored("NWK command");
            }
            nwkSource = OptionalLong.of(source);
        } else {
            nwkPayload = Arrays.copyOfRange(nwk.bytes(), nwk.headerLength(), nwk.bytes().length);
            nwkSource = nwk.sourceIeee();
        }
        ApsFrame aps = ApsFrameParser.parse(nwkPayload);
        boolean joinTraffic = !nwk.secured() && aps.secured() && aps.frameType() == ApsFrame.COMMAND;
        if (!nwk.secured() && !joinTraffic) {
            if (keyring.secured()) {
                throw flag(RadioFinding.UNSECURED_FRAME, claimed, "NWK frame without security on a secured network");
            }
            return new Verdict.Ignored("no network key configured: nothing vouches for the frame");
        }
        byte[] apsPayload = aps.secured() ? openAps(aps, nwk, nwkSource, time, keyring, level, claimed)
                : Arrays.copyOfRange(aps.bytes(), aps.headerLength(), aps.bytes().length);
        if (aps.frameType() != ApsFrame.DATA) {
            return new Verdict.Ignored(aps.frameType() == ApsFrame.COMMAND ? "APS command" : "APS acknowledgement");
        }
        long source = nwkSource.getAsLong();
        Optional<DeviceId> device = keyring.deviceOf(source);
        if (device.isEmpty()) {
            throw flag(RadioFinding.UNKNOWN_SENDER, claimed, "verified frame from " + MacAddress.ofExtended(source)
                    + ", which is bound to no device");
        }
        return new Verdict.Forward(device.get(), source, aps, apsPayload);
    }

    private byte[] openMac(MacFrame mac, Instant time, ZigbeeKeyring keyring) throws Rejected {
        AuxSecurityHeader aux = mac.security().get();
        String claimed = mac.source().toString();
        if (!mac.source().isExtended()) {
            throw flag(RadioFinding.UNKNOWN_KEY, claimed, "MAC-secured frame from a short address: Palisade needs "
                    + "the sender's extended address for the nonce");
        }
        byte[] key = keyring.macKeys().get(aux.keyName());
        if (key == null) {
            throw flag(RadioFinding.UNKNOWN_KEY, claimed, "no 802.15.4 key with index " + aux.keyName());
        }
        byte[] plain;
        try {
            plain = MacSecurity.open(mac, mac.source().value(), key);
        } catch (CcmStar.MicMismatch e) {
            throw flag(RadioFinding.MIC_FAILURE, claimed, "802.15.4 MIC does not match under key " + aux.keyName());
        }
        if (!aux.level().authenticated()) {
            throw flag(RadioFinding.UNSECURED_FRAME, claimed, "802.15.4 security level " + aux.level()
                    + " has no MIC");
        }
        admit(mac.source().value(), "mac:" + aux.keyName(), aux.frameCounter(), time, claimed);
        return plain;
    }

    private byte[] openAps(ApsFrame aps, NwkFrame nwk, OptionalLong nwkSource, Instant time, ZigbeeKeyring keyring,
                           SecurityLevel level, String claimed) throws Rejected {
        ZigbeeAuxHeader aux = aps.security().get();
        long source = aux.source().isPresent() ? aux.source().getAsLong() : nwkSource.orElseThrow(() ->
                flag(RadioFinding.MALFORMED, claimed, "secured APS frame names no IEEE address for its nonce"));
        List<Candidate> candidates = candidates(aux, source, nwk.destinationIeee(), keyring);
        if (candidates.isEmpty()) {
            throw flag(RadioFinding.UNKNOWN_KEY, claimed, "no " + aux.keyId() + " key for APS frames from "
                    + MacAddress.ofExtended(source));
        }
        for (Candidate candidate : candidates) {
            byte[] plain;
            try {
                plain = ZigbeeSecurity.open(aps.bytes(), aps.headerLength(), aux, source, candidate.key(), level);
            } catch (CcmStar.MicMismatch e) {
                continue;
            }
            admit(source, "aps:" + candidate.name(), aux.frameCounter(), time, claimed);
            if (candidate.wellKnown()) {
                boolean networkKey = aps.frameType() == ApsFrame.COMMAND && plain.length > 1 && plain[0] == 0x05
                        && plain[1] == 0x01;
                throw flag(RadioFinding.DEFAULT_TC_LINK_KEY, claimed, "APS " + (networkKey
                        ? "transport-key command carrying the network key" : "frame") + " secured with the "
                        + "well-known trust-center link key 'ZigBeeAlliance09': anyone who recorded it can read it");
            }
            return plain;
        }
        throw flag(RadioFinding.MIC_FAILURE, claimed, "APS MIC matches none of the " + candidates.size() + " "
                + aux.keyId() + " keys for " + MacAddress.ofExtended(source));
    }

    private record Candidate(String name, byte[] key, boolean wellKnown) {
    }

    /** The keys an APS frame may be secured with: the link keys of both ends, then the well-known default. */
    private static List<Candidate> candidates(ZigbeeAuxHeader aux, long source, OptionalLong destination,
                                              ZigbeeKeyring keyring) {
        List<Candidate> out = new ArrayList<>();
        if (aux.keyId() == ZigbeeAuxHeader.KeyId.NETWORK) {
            byte[] key = keyring.networkKeys().get(aux.keySequence());
            if (key != null) {
                out.add(new Candidate("nwk:" + aux.keySequence(), key, false));
            }
            return out;
        }
        List<Long> ends = new ArrayList<>(List.of(source));
        destination.ifPresent(ends::add);
        for (long end : ends) {
            byte[] link = keyring.linkKeys().get(end);
            if (link != null) {
                out.add(new Candidate("link:" + MacAddress.ofExtended(end) + ":" + aux.keyId(), derive(aux, link),
                        WellKnownKeys.isDefaultTrustCenterKey(link)));
            }
        }
        out.add(new Candidate("default:" + aux.keyId(), derive(aux, WellKnownKeys.DEFAULT_TC_LINK_KEY), true));
        return out;
    }

    private static byte[] derive(ZigbeeAuxHeader aux, byte[] link) {
        return switch (aux.keyId()) {
            case KEY_TRANSPORT -> KeyHash.keyTransportKey(link);
            case KEY_LOAD -> KeyHash.keyLoadKey(link);
            default -> link;
        };
    }

    private void admit(long source, String keyRef, long counter, Instant time, String claimed) throws Rejected {
        String key = CounterWindows.key(source, keyRef);
        switch (windows.check(key, counter, time)) {
            case RETRANSMISSION -> throw new Rejected(new Verdict.Ignored("retransmission of frame counter "
                    + counter));
            case REPLAY -> throw flag(RadioFinding.COUNTER_REGRESSION, claimed, "frame counter " + counter
                    + " from " + MacAddress.ofExtended(source) + " under " + keyRef + " was accepted before or is "
                    + "older than the window: a replay");
            case NEW -> {
                if (!windows.accept(key, counter, time)) {
                    throw new Rejected(new Verdict.Ignored("counter table full"));
                }
            }
        }
    }

    private static String claimedSource(NwkFrame nwk) {
        if (nwk.security().isPresent() && nwk.security().get().source().isPresent()) {
            return MacAddress.ofExtended(nwk.security().get().source().getAsLong()).toString();
        }
        return nwk.sourceIeee().isPresent() ? MacAddress.ofExtended(nwk.sourceIeee().getAsLong()).toString()
                : MacAddress.ofShort(nwk.source()).toString();
    }

    private static Rejected flag(RadioFinding finding, String claimed, String reason) {
        return new Rejected(new Verdict.Flagged(finding, claimed, reason));
    }

    /** Ends verification early with its verdict (keeps the layer methods linear). */
    private static final class Rejected extends Exception {
        private final transient Verdict verdict;

        Rejected(Verdict verdict) {
            super(null, null, false, false);
            this.verdict = verdict;
        }
    }
}
