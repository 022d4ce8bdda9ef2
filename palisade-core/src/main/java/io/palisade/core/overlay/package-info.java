/**
 * The isolation overlay's decisions, free of sockets (R17, TNC style): legacy hosts are registered devices with an
 * address only Palisade can reach ({@link OverlayHost}); an operator grants an enrolled system a time-limited path to
 * one port of one host ({@link OverlayGrant}); {@link OverlayAccess} decides each tunnel from the identity the client
 * proved, the grant, and the health of both ends (a quarantined or revoked device, or one in a quarantined segment, on
 * either end gets no tunnel). The tunnel itself (TLS, relaying, recording) is the legacy adapter module's.
 */
package io.palisade.core.overlay;
