/**
 * Tamper reports under the device's own signature: the envelope the agent publishes and the checks the
 * control plane makes before it believes one (certificate chain to the Palisade CA, the device it names,
 * the signature over the exact report bytes).
 */
package io.palisade.pki.tamper;
