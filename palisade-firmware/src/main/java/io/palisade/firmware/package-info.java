/**
 * Signed firmware (R1, R3): the MCUboot image format, signing, verification against pinned keys and
 * security counters. Later: boot verifier with A/B slots, TUF-style update repository and client.
 */
package io.palisade.firmware;
