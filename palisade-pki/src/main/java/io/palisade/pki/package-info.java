/**
 * Palisade's PKI primitives: key generation, PEM files, device identities in certificates, and
 * the renewal rule. The certificate authority lives in {@code ca}, the EST (RFC 7030) wire
 * format and client in {@code est}. Bouncy Castle does all ASN.1, X.509, PKCS#10 and CMS work.
 */
package io.palisade.pki;
