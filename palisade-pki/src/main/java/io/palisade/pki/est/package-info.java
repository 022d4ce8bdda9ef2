/**
 * EST (RFC 7030) wire formats and the device-side client: PKCS#10 requests in base64 DER,
 * responses as base64 "certs-only" PKCS#7 (CMS SignedData without signers).
 */
package io.palisade.pki.est;
