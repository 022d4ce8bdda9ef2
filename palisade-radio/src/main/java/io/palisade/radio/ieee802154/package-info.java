/**
 * IEEE 802.15.4 MAC frames and their security: {@link io.palisade.radio.ieee802154.MacFrameParser} reads frames as a
 * sniffer or coordinator hands them over, {@link io.palisade.radio.ieee802154.CcmStar} is the CCM* mode both 802.15.4
 * and ZigBee secure frames with, {@link io.palisade.radio.ieee802154.MacSecurity} the MAC layer's nonce. No I/O here.
 */
package io.palisade.radio.ieee802154;
