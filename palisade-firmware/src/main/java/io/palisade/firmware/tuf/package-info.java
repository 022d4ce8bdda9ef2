/**
 * The device side of The Update Framework (TUF 1.0): canonical JSON, key objects, signature
 * thresholds, and the client workflow (root rotation, timestamp, snapshot, targets, target download)
 * with the checks that defeat arbitrary-software, rollback, freeze, mix-and-match, endless-data and
 * fast-forward attacks. Agrees with python-tuf's vectors.
 */
package io.palisade.firmware.tuf;
