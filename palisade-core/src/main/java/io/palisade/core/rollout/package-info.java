/**
 * Firmware roll-outs as a transport- and storage-free model: which devices get an image, in which
 * waves, and when a wave's success starts the next one or its failures halt everything. The control
 * plane drives it with device reports and persists it through {@link io.palisade.core.rollout.RolloutStore}.
 */
package io.palisade.core.rollout;
