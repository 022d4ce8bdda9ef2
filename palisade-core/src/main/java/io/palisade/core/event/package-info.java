/**
 * Security events: the typed record every stage emits instead of throwing, their wire names,
 * severities and OCSF classes, and the sink and store interfaces.
 */
package io.palisade.core.event;
