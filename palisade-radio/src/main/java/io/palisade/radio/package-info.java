/**
 * Constrained and radio devices: the protocols such devices have, under the same identities, policies, quotas,
 * quarantine, events and detection as MQTT devices. Depends on core and pki (and Eclipse Californium for CoAP/DTLS);
 * only the app wires it.
 */
package io.palisade.radio;
