/**
 * What detection keeps across restarts: operators' rules (as their JSON form, which the detection
 * module parses) and the adjustments operator feedback made. Kept in core so that the store can hold
 * them without knowing the detection module.
 */
package io.palisade.core.detection;
