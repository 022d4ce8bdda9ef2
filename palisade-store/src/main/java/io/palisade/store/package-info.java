/**
 * Persistence behind the core's interfaces: SQLite for the embedded profile, PostgreSQL for
 * scale-out, one schema kept in two dialect folders of Flyway migrations.
 */
package io.palisade.store;
