/**
 * Detection and response (R4, R18), transport-free: per-device behaviour kept as damped statistics
 * with bounded memory ({@link io.palisade.detect.DeviceBehaviour}), built-in signatures over them
 * ({@link io.palisade.detect.Rules}), and a response policy that turns verdicts into records, alerts or
 * an automatic quarantine ({@link io.palisade.detect.Detector}). The gateway feeds it its security
 * events and a cheap per-publish observation; the control plane carries out quarantines.
 */
package io.palisade.detect;
