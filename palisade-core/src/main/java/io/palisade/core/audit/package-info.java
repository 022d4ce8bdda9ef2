/**
 * The tamper-evident audit trail: stored events form a SHA-256 hash chain, a signed checkpoint pins the chain
 * every so many events or minutes, and a signed gap record stands for every run of events retention pruned.
 * {@link io.palisade.core.audit.ChainVerifier} walks the stored events and names the first broken link.
 */
package io.palisade.core.audit;
