/**
 * The embedded upstream broker of the single-box profile (Moquette), reachable only on loopback and
 * only with a per-installation secret, so that nothing on the host can go around the gateway.
 */
package io.palisade.app.broker;
