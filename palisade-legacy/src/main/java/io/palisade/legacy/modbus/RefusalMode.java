package io.palisade.legacy.modbus;

/**
 * How a refused request is answered: with a Modbus exception (the client learns at once that it was refused), or not
 * at all (the client times out, as if the request had been lost: a scanner learns less).
 */
public enum RefusalMode {
    EXCEPTION, DROP
}
