/**
 * SIEM destinations as the store keeps them: where events go, in which format, which of them, and how far
 * delivery has got (the durable cursor that makes export at least once and in order). Formats and transports
 * live in {@code palisade-control}.
 */
package io.palisade.core.siem;
