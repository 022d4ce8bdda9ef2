/**
 * Physical tamper detection on the device: sources that watch a sensor (kernel uevents for USB and storage
 * insertion, input-device switch events for a case or lid switch, GPIO line events) and turn what they see
 * into {@link io.palisade.agent.tamper.TamperSignal}s, and the reporter that numbers, signs and delivers
 * each one to the control plane, keeping unsent reports on disk.
 */
package io.palisade.agent.tamper;
