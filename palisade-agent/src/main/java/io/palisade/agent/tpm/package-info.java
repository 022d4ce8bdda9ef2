/**
 * The device's TPM in the boot and update path: the anti-rollback security counter kept in TPM NV memory
 * instead of flash, and each booted image measured into a PCR.
 */
package io.palisade.agent.tpm;
