/**
 * picocli subcommands of {@code palisade}. Each prints data as text or, with {@code --json}, as JSON,
 * and fails with one sentence on stderr and a non-zero exit code.
 */
package io.palisade.app.cli;
