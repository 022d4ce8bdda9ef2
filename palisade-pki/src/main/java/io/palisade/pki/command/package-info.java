/**
 * Signed, replay-protected commands from the control plane to a device (wipe, reflash): a JSON
 * command signed with the control plane's command key, which devices pin, carrying the device's id,
 * a nonce and an expiry so that a captured command can be used neither on another device, nor
 * twice, nor late.
 */
package io.palisade.pki.command;
