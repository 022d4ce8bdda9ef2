/**
 * The detection evaluation ({@code palisade detect eval}): a realistic simulated fleet (several
 * device classes with their own rates, payload shapes, daily cycles and noise, plus legitimate bursts
 * such as a firmware roll-out and a reconnect storm) and labelled attack scenarios, run in virtual
 * time through the real detection path — the real {@code Detector}, the gateway's real access policy
 * ({@code PolicyBook}) and quota ({@code DeviceQuota}), and security events shaped as the gateway emits
 * them — and scored per scenario: detection rate, false alarms per 1,000 device-hours, time to detect
 * and to quarantine, ROC AUC, side by side with a static-threshold baseline (the same run's rule
 * findings without the learned model).
 *
 * <p>What is not in the loop: sockets and TLS. The live path (a real device through the real gateway
 * getting quarantined) is covered by the end-to-end tests in {@code palisade-app}.
 */
package io.palisade.sim.eval;
