/**
 * The device-side agent. So far: the update agent, which joins the TUF client (what to install and
 * that it is authentic) with the boot verifier (installing it so that a failure reverts), and reports
 * every step. Later: file integrity, tamper inputs, attestation, wipe.
 */
package io.palisade.agent;
