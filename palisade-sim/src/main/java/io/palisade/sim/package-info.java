/**
 * Simulated devices for demos, tests and benchmarks. Each runs the real device-side code — the
 * fleet client over mutual TLS, the TUF update client over HTTPS and the boot verifier on simulated
 * flash — against a real running Palisade; only the hardware is simulated.
 */
package io.palisade.sim;
