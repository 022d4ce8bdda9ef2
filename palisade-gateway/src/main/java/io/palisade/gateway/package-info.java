/**
 * The MQTT security gateway (R2, R4, R7, R8, R13): a Netty pipeline on port 8883 that terminates
 * mutual TLS, takes the device identity from the certificate, enforces topic policies, quotas and
 * quarantine, and relays each device session one-to-one onto its own connection to the upstream
 * broker under the same client id, so that MQTT semantics (QoS 0/1/2, retained messages, wills,
 * persistent sessions, keep-alive) are the broker's, end to end. Two options trade some of that for
 * scale: QoS 0 lanes ({@link io.palisade.gateway.PublishLane}) and the multiplexed upstream
 * ({@link io.palisade.gateway.UpstreamMux}), where the sessions of one event loop share one broker connection
 * and the gateway keeps what the broker would for each ({@link io.palisade.gateway.MuxedSession}). The
 * session's stages see either through {@link io.palisade.gateway.BrokerSide}.
 */
package io.palisade.gateway;
