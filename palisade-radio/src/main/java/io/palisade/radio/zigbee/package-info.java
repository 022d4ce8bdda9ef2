/**
 * ZigBee (NWK and APS layers over 802.15.4) at the gateway: frames from sniffers and coordinators are verified under
 * the network, link and MAC keys in Palisade's registry ({@link io.palisade.radio.zigbee.ZigbeeVerifier}), replays
 * are caught by per-sender frame-counter windows that survive restarts, findings become {@code radio.finding} events
 * against the feed, and verified reports go to their device's MQTT topics ({@link io.palisade.radio.zigbee.ZigbeeIngest}).
 */
package io.palisade.radio.zigbee;
