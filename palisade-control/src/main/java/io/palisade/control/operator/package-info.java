/**
 * Operators as the control plane serves them: Argon2id password hashes, RFC 6238 TOTP, login with lock-out,
 * API tokens per operator, and who may do what.
 */
package io.palisade.control.operator;
