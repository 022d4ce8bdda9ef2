package io.palisade.core.audit;

/**
 * Signs and verifies checkpoints and gap records with a key that is not in the database, so that someone who
 * can rewrite the events table (and recompute every hash) still cannot make a checkpoint agree with it.
 */
public interface ChainSigner {

    byte[] sign(byte[] message);

    boolean verify(byte[] message, byte[] signature);
}
