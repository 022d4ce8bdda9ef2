/**
 * The repository side of TUF: role keys, root rotation, and publishing signed timestamp, snapshot and
 * targets metadata for the files under {@code targets/}, in the layout clients fetch.
 */
package io.palisade.firmware.tuf.repo;
