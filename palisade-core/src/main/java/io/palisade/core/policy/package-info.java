/**
 * Access control by verified identity (R7): MQTT topic and filter algebra, topic policies per profile
 * and segment with {@code {id}} and {@code {segment}} templates, deny-wins evaluation, and the fixed
 * quarantine channel (R13).
 */
package io.palisade.core.policy;
