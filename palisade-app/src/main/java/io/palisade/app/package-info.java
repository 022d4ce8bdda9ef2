/** The {@code palisade} command: entry point and process wiring. Subcommands live in {@code cli}. */
package io.palisade.app;
