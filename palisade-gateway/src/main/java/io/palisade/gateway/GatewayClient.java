package io.palisade.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway's own broker connections ({@link PublishLane}, {@link UpstreamMux}) have in common: a clean
 * CONNECT under a client id of the gateway's with the gateway's credentials, and a keep-alive that pings a quiet
 * broker and gives up on a silent one (the connection is then opened again).
 */
final class GatewayClient {

    static final int KEEP_ALIVE_SECONDS = 60;
    private static final System.Logger LOG = System.getLogger(GatewayClient.class.getName());

    private GatewayClient() {
    }

    /** Puts the keep-alive watch in front of {@code ctx}'s handler. */
    static void watchKeepAlive(ChannelHandlerContext ctx) {
        ctx.pipeline().addBefore(ctx.name(), ctx.name() + "-keep-alive",
                new IdleStateHandler(KEEP_ALIVE_SECONDS * 3 / 2, KEEP_ALIVE_SECONDS / 2, 0, TimeUnit.SECONDS));
    }

    static MqttConnectMessage connect(String clientId, UpstreamAddress address, MqttVersion version,
                                      MqttProperties properties) {
        var connect = MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(version)
                .cleanSession(true)
                .keepAlive(KEEP_ALIVE_SECONDS)
                .properties(properties);
        address.username().ifPresent(user -> connect.hasUser(true).username(user));
        address.password().ifPresent(password -> connect.hasPassword(true)
                .password(password.getBytes(StandardCharsets.UTF_8)));
        return connect.build();
    }

    /** Answers the keep-alive watch's events: a ping when the gateway was quiet, a reconnect when the broker was. */
    static void keepAlive(ChannelHandlerContext ctx, Object event, String connection) {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                        MqttQoS.AT_MOST_ONCE, false, 0)));
            } else if (idle.state() == IdleState.READER_IDLE) {
                LOG.log(System.Logger.Level.WARNING, "upstream broker silent on " + connection + "; reconnecting");
                ctx.close();
            }
        }
    }
}
