/**
 * Operators: named people (or systems) with a role, a password hash, optional TOTP, and API tokens of their
 * own; what each role may do ({@link io.palisade.core.operator.Permission}).
 */
package io.palisade.core.operator;
