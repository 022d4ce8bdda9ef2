package io.palisade.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Opens a device session's own connection to the upstream broker, on the device channel's event
 * loop so that relaying between the two never crosses threads. With {@code mqtts://} the broker's
 * certificate chain and host name are verified (JDK trust store, or the given trust anchors).
 */
final class UpstreamConnector implements Upstream {

    /** The broker is trusted, but a bound keeps one bad message from exhausting memory. */
    private static final int MAX_UPSTREAM_PACKET = 16 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final UpstreamAddress address;
    private final Optional<SslContext> tls;
    private final Transport transport;

    UpstreamConnector(UpstreamAddress address, Transport transport) throws SSLException {
        this.address = address;
        this.transport = transport;
        this.tls = address.tls() ? Optional.of(clientContext(address)) : Optional.empty();
    }

    private static SslContext clientContext(UpstreamAddress address) throws SSLException {
        // The one TLS policy: protocols, ECDHE+AEAD suites and trust (the given anchors, else the JVM's CAs).
        return SslContextBuilder.forClient()
                .protocols(io.palisade.pki.TlsPolicy.PROTOCOLS)
                .ciphers(io.palisade.pki.TlsPolicy.CLIENT_CIPHERS, io.netty.handler.ssl.SupportedCipherSuiteFilter.INSTANCE)
                .trustManager(io.palisade.pki.TlsPolicy.trust(address.trustAnchors()))
                .build();
    }

    @Override
    public UpstreamAddress address() {
        return address;
    }

    @Override
    public ChannelFuture connect(EventLoop loop, io.netty.channel.ChannelHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls.isPresent()) {
                            SSLEngine engine = tls.get().newEngine(ch.alloc(), address.host(), address.port());
                            SSLParameters parameters = engine.getSSLParameters();
                            parameters.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(parameters);
                            ch.pipeline().addLast("tls", new SslHandler(engine));
                        }
                        ch.pipeline()
                                .addLast("mqtt-decoder", new MqttDecoder(MAX_UPSTREAM_PACKET))
                                .addLast("mqtt-encoder", MqttEncoder.INSTANCE)
                                .addLast("publish-encoder", PublishEncoder.INSTANCE)
                                .addLast("relay", handler);
                    }
                })
                .connect(address.host(), address.port());
    }
}
