/**
 * Radio networks as the rest of Palisade sees them: the ZigBee / 802.15.4 keyring and bindings
 * ({@link io.palisade.core.radio.ZigbeeKeyring}) and the persisted frame-counter windows
 * ({@link io.palisade.core.radio.FrameCounters}). The frame formats and their verification live in palisade-radio.
 */
package io.palisade.core.radio;
