/**
 * CoAP over DTLS 1.2 (RFC 7252, RFC 6347) with Eclipse Californium and Scandium: {@link io.palisade.radio.coap.CoapGateway}
 * serves UDP 5684 (or a configured port) to devices proving themselves with a pre-shared key issued by Palisade
 * ({@link io.palisade.radio.coap.DevicePskStore}) or a Palisade device certificate; the resource {@code /ps/TOPIC}
 * ({@link io.palisade.radio.coap.PublishResource}) carries a POST or PUT into the broker through the same publish
 * decision as the MQTT gateway.
 */
package io.palisade.radio.coap;
