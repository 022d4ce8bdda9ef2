package io.palisade.bench;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * The peer of the CoAP benchmark, in a JVM of its own so its CPU is measured apart from the client's: Californium's own
 * DTLS server with one static PSK and a resource that answers every POST with 2.04, nothing behind it. The same
 * DTLS settings as Palisade's listener (server only, HelloVerifyRequest on, the same cipher suites). Prints
 * {@code ready PORT} once listening. Arguments: IDENTITY KEY.
 */
public final class CoapPeerServer {

    private CoapPeerServer() {
    }

    public static void main(String[] args) throws Exception {
        Configuration config = CoapBench.configuration(DtlsConfig.DtlsRole.SERVER_ONLY);
        DTLSConnector connector = new DTLSConnector(DtlsConnectorConfig.builder(config)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(new AdvancedSinglePskStore(args[0], args[1].getBytes(StandardCharsets.US_ASCII)))
                .build());
        CoapServer server = new CoapServer(config);
        server.addEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build());
        server.add(new CoapResource("ps") {
            @Override
            public Resource getChild(String name) {
                return this;
            }

            @Override
            public void handlePOST(CoapExchange exchange) {
                exchange.respond(ResponseCode.CHANGED);
            }
        });
        server.start();
        System.out.println("ready " + connector.getAddress().getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
