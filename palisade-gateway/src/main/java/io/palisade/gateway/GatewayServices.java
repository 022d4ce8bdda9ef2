package io.palisade.gateway;

import io.palisade.pki.DeviceAuthenticator;

import io.palisade.core.policy.PolicyBook;
import java.util.concurrent.Executor;

/**
 * What every device session shares: limits, policies, identity checks, the upstream, events, live
 * sessions, per-device quotas (which outlive connections), the observer of allowed traffic (detection), and
 * the shared QoS 0 connections to the broker ({@link PublishLanes#NONE} when off) and the connections that
 * carry whole sessions ({@link UpstreamMuxes#NONE} when off).
 */
record GatewayServices(GatewayLimits limits, PolicyBook policies, DeviceAuthenticator authenticator,
                       Executor blockingExecutor, Upstream upstream, GatewayEvents events,
                       SessionRegistry sessions, DeviceQuotas quotas, PeerCertificates peerCertificates,
                       io.palisade.core.event.TrafficObserver traffic, PublishLanes lanes,
                       UpstreamMuxes muxes) {
}
