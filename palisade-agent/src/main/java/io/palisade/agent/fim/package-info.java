/**
 * File and firmware integrity monitoring (R5): a signed baseline of critical files with the attributes
 * AIDE checks (SHA-256, size, permissions, owner, modification time), full scans and real-time
 * watching against it, and responses to a change (report, move into a quarantine directory as a
 * read-only copy, delete, disable the application; attribute-only changes are put back, never moved).
 */
package io.palisade.agent.fim;
