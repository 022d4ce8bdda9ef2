package io.palisade.app;

import io.palisade.control.ControlPlane;
import io.palisade.gateway.BrokerLink;
import io.palisade.radio.coap.CoapGateway;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * Wires the CoAP/DTLS listener into a running instance: devices' pre-shared keys and Palisade's CA for the handshakes,
 * the server certificate, the publish decision and quotas of the policies, the event bus and detection, and a broker
 * link of its own into the upstream for allowed publishes.
 */
public final class CoapListener implements AutoCloseable {

    private final CoapGateway gateway;
    private final BrokerLink link;

    private CoapListener(CoapGateway gateway, BrokerLink link) {
        this.gateway = gateway;
        this.link = link;
    }

    /** {@code limits}: the gateway's, whose per-device message rate and per-address connection rate CoAP shares. */
    public static CoapListener start(RunningPalisade palisade, InetSocketAddress listen,
                                     io.palisade.gateway.GatewayLimits limits) {
        ControlPlane plane = palisade.controlPlane();
        BrokerLink link = BrokerLink.connect(palisade.upstreamAddress(), "palisade-coap-" + ProcessHandle.current().pid());
        try {
            var identity = plane.serverIdentity();
            CoapGateway gateway = CoapGateway.start(listen, identity.key(), identity.chain(), plane.ca().chain(),
                    plane.registry(), plane.preSharedKeys(), plane.devicePublicKeys(), plane.policies(), new LinkUpstream(link), new io.palisade.radio.coap.CoapLimits(limits.messagesPerSecond(), limits.messageBurst(),
                            limits.connectsPerSecondPerAddress()), plane.eventBus(), palisade.detectionTraffic(), Clock.systemUTC());
            plane.devices().addListener(gateway); // quarantine, release and revocation apply at the next request
            return new CoapListener(gateway, link);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    public int port() {
        return gateway.port();
    }

    @Override
    public void close() {
        gateway.close();
        link.close();
    }
}
