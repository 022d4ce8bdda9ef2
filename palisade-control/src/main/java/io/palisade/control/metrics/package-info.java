/**
 * Prometheus metrics (Micrometer): what the gateway lets through and refuses, events by type and severity,
 * detection findings, SIEM backlogs, the store's write latency and the JVM. Served at {@code /metrics} behind
 * the admin token.
 */
package io.palisade.control.metrics;
