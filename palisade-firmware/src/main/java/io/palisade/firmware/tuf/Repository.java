package io.palisade.firmware.tuf;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the client fetches from (a directory, HTTPS). Every read has a byte limit: the endless-data
 * attack (a mirror that never stops sending) ends at the limit.
 */
public interface Repository {

    /** {@code metadata/NAME}, or empty when the repository has no such file; fails past {@code maxBytes}. */
    Optional<byte[]> metadata(String name, long maxBytes) throws IOException;

    /** {@code targets/PATH}; fails past {@code maxBytes}. */
    byte[] target(String path, long maxBytes) throws IOException;
}
