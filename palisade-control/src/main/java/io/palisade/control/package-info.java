/**
 * The control plane: device management, enrollment, revocation and the event stream, exposed over
 * HTTPS as EST (RFC 7030) and the REST API. {@code service} holds the transport-free operations,
 * {@code http} the thin Netty adapter in front of them.
 */
package io.palisade.control;
