/**
 * Where 802.15.4 frames come from: pcap files ({@link io.palisade.radio.capture.PcapReader}, link types 195 and 230)
 * and live ZEP datagrams from sniffers and coordinators ({@link io.palisade.radio.capture.ZepDecoder}). Frame check
 * sequences are verified here; security is not (see {@code io.palisade.radio.zigbee}).
 */
package io.palisade.radio.capture;
