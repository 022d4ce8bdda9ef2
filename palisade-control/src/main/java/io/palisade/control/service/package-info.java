/**
 * Control-plane operations without any transport: each method validates, changes state through
 * the registry, emits the matching {@link io.palisade.core.event.SecurityEvent}, and either returns
 * a result or throws {@link io.palisade.control.service.Refusal} with one clear sentence.
 */
package io.palisade.control.service;
