/**
 * Wiring of simulated fleets against a running Palisade through its public interfaces: the admin
 * API to register devices, EST to enroll them, the served repository root and command key.
 */
package io.palisade.app.sim;
