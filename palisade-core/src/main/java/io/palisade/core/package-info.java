/**
 * Palisade's transport-free core: domain types, security events, secrets and limits.
 *
 * <p>Nothing here knows about sockets, HTTP, databases or the command line; adapters in other
 * modules implement the interfaces declared here ({@link io.palisade.core.device.DeviceRegistry},
 * {@link io.palisade.core.event.EventSink}, ...), so every decision can be tested without I/O.
 */
package io.palisade.core;
