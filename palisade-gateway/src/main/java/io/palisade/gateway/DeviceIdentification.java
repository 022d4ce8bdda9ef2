package io.palisade.gateway;

import io.palisade.pki.DeviceAuthenticator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.palisade.core.Errors;
import io.palisade.core.device.Device;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The identity stage, between TLS and the {@link DeviceSession}: once the handshake is done, the device's
 * certificate is checked against the registry off the event loop (the registry is a database), with the
 * connection not read meanwhile. An identified device is announced to the session with {@link Identified};
 * a refused one is recorded against the certificate it claimed and the source address, and closed. A
 * failed handshake is recorded against the address only: nothing in it is proven.
 */
final class DeviceIdentification extends ChannelInboundHandlerAdapter {

    /** The user event that tells the session whose connection it is. */
    record Identified(Device device) {
    }

    private final GatewayServices gateway;

    DeviceIdentification(GatewayServices gateway) {
        this.gateway = gateway;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            String address = Addresses.remote(ctx.channel());
            if (handshake.isSuccess()) {
                identify(ctx, address);
            } else {
                gateway.traffic().handshakeFailed(address);
                gateway.events().emitLimited(EventType.AUTH_FAILED, Severity.MEDIUM, null, address,
                        "TLS handshake on the MQTT port failed: " + Errors.rootMessage(handshake.cause()));
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, event);
    }

    private void identify(ChannelHandlerContext ctx, String address) {
        List<X509Certificate> chain = gateway.peerCertificates().of(ctx);
        ctx.channel().config().setAutoRead(false); // the session reads again once it knows the device
        gateway.blockingExecutor().execute(() -> {
            DeviceAuthenticator.Result result = gateway.authenticator().authenticate(chain);
            ctx.executor().execute(() -> identified(ctx, address, result));
        });
    }

    private void identified(ChannelHandlerContext ctx, String address, DeviceAuthenticator.Result result) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (result.device().isEmpty()) {
            gateway.events().emitRefusedIdentity(result.claimed().orElse(null), address,
                    "device connection refused: " + result.reason());
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(new Identified(result.device().get()));
    }
}
