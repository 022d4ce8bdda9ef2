package io.palisade.legacy.modbus;

/**
 * The byte stream broke Modbus/TCP's framing (protocol id not 0, a length outside 2-254): nothing after it can be
 * trusted to start a frame, so the connection is closed after this is recorded.
 */
record MalformedFrame(String reason) {
}
