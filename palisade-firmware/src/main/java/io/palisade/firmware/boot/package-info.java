/**
 * The boot verifier (R1): pinned root key hashes, a monotonic security counter (as OTP fuses or a TPM
 * NV counter would hold it), A/B slots with test installs that revert unless the new image confirms
 * itself, and permanent installs. Every state change is one atomic write, so a power loss at any step
 * leaves a verified, bootable image.
 */
package io.palisade.firmware.boot;
