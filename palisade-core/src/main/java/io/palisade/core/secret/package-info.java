/** Secrets in memory ({@link io.palisade.core.secret.SecretBytes}) and one-time token generation and hashing. */
package io.palisade.core.secret;
