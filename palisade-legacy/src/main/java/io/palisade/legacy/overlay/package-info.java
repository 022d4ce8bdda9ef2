/**
 * The isolation overlay's tunnels (R17, TNC style): {@link io.palisade.legacy.overlay.TunnelServer} accepts mutual-TLS
 * connections from enrolled systems, reads one HTTP {@code CONNECT DEVICE:PORT} request
 * ({@link io.palisade.legacy.overlay.ConnectRequest}), decides it on the certificate's identity, a grant and the health
 * of both ends (core's {@code OverlayAccess}), and relays bytes to the legacy host, which nothing else can reach;
 * revocation, quarantine and expiry cut open tunnels at once; every tunnel is recorded, and Modbus inside is decoded.
 * {@link io.palisade.legacy.overlay.TunnelClient} is the client side ({@code palisade tunnel open}): a local port whose
 * connections each become one tunnel.
 */
package io.palisade.legacy.overlay;
