/**
 * The MQTT security gateway (R2, R4, R7, R8, R13): a Netty pipeline on port 8883 that terminates
 * mutual TLS, takes the device identity from the certificate, enforces topic policies, quotas and
 * quarantine, and relays each device session one-to-one onto its own connection to the upstream
 * broker under the same client id, so that MQTT semantics (QoS 0/1/2, retained messages, wills,
 * persistent sessions, keep-alive) are the broker's, end to end.
 */
package io.palisade.gateway;
