/**
 * The certificate authority: a root CA (offline in spirit: its key is only used to certify the
 * issuing CA) and an issuing CA that signs device and server certificates and the CRL. Both keys
 * are ECDSA P-256 and stored encrypted at rest.
 */
package io.palisade.pki.ca;
