/**
 * The web console at {@code https://HOST:8443/}: server-rendered pages (JTE templates under {@code src/main/jte},
 * precompiled to Java at build time) over the same REST API the CLI uses. Every page reads, and every action
 * changes, through an in-process call to {@code /api/v1/...} carrying the browser's session cookie and CSRF token, so
 * the API's one guard decides who may do what and records every change; the console adds no second copy of those
 * decisions. The live timeline is an event-bus subscriber streaming Server-Sent Events. No inline script or style and
 * no external resource: htmx and its SSE extension are served from the jar under a strict Content-Security-Policy.
 */
package io.palisade.control.console;
