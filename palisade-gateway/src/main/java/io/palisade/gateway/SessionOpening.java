package io.palisade.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.palisade.core.Errors;
import io.palisade.core.device.Device;
import io.palisade.core.event.EventType;
import io.palisade.core.event.Severity;
import java.util.concurrent.TimeUnit;

/**
 * The opening of a device session, from the device's CONNECT to the CONNACK it gets: the CONNECT checked
 * ({@link ConnectCheck}) and the device's reconnect quota charged, the keep-alive watch installed, the
 * broker connection opened under the device's client id, and the broker's CONNACK relayed (or its refusal
 * translated). All of it must be over within the connect deadline, which runs from the TCP accept.
 *
 * <p>Runs on the session's event loop; the {@link DeviceSession} keeps the session's state and is told
 * how the opening goes through {@link Outcome}.
 */
final class SessionOpening {

    private static final System.Logger LOG = System.getLogger(SessionOpening.class.getName());

    /** What the session does as the opening goes on. */
    interface Outcome {

        /** The CONNECT passed; the broker connection is being opened (the device is not read meanwhile). */
        void connecting();

        /** The broker accepted; the device has its CONNACK. */
        void opened();

        /** The opening failed: the device gets {@code connAck} (a refusal), then the connection closes. */
        void refused(MqttMessage connAck);

        /** Whether the session ended meanwhile (the device went away). */
        boolean ended();

        /** Ends the session: an event was reported, {@code lastWord} (may be null) goes to an MQTT 5 device. */
        void close(MqttMessage lastWord);
    }

    private final GatewayServices gateway;
    private final SessionLink link;
    private final Outcome outcome;
    private ScheduledFuture<?> deadline;
    private ConnectCheck check;

    SessionOpening(GatewayServices gateway, SessionLink link, Outcome outcome) {
        this.gateway = gateway;
        this.link = link;
        this.outcome = outcome;
    }

    /** The TCP connection was accepted: the whole opening must be over within the connect timeout. */
    void startDeadline(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(this::deadlinePassed, gateway.limits().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The session ended or opened: the deadline no longer applies. */
    void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** The device's CONNECT (its identity already proven): refused here, or relayed on a new broker connection. */
    void connect(ChannelHandlerContext ctx, MqttConnectMessage connect, DeviceSession session) {
        Device device = link.current;
        ConnectCheck checked = ConnectCheck.of(connect, device, gateway.policies(), gateway.limits(),
                gateway.upstream().address().speaksMqtt5());
        open(ctx, connect, checked, session);
    }

    private void open(ChannelHandlerContext ctx, MqttConnectMessage connect, ConnectCheck checked, DeviceSession session) {
        Device device = link.current;
        link.style = checked.replyStyle();
        if (checked.refusal() != null) {
            if (checked.eventType() != null) {
                gateway.events().emit(checked.eventType(), Severity.HIGH, device.id(), link.address,
                        "CONNECT refused: " + checked.reason(), checked.details());
            } else {
                LOG.log(System.Logger.Level.INFO, "CONNECT of device " + device.id() + " refused: " + checked.reason());
            }
            refuse(checked.refusal(), checked.reason());
            return;
        }
        link.over311 = checked.over311() ? new Mqtt5Over311() : null;
        if (!gateway.quotas().admitConnect(device.id())) {
            gateway.events().emitLimited(EventType.QUOTA_EXCEEDED, Severity.MEDIUM, device.id(), link.address,
                    "CONNECT refused: device " + device.id() + " reconnects faster than "
                            + gateway.limits().connectsPerSecondPerDevice() + "/s");
            refuse(MqttReplies.ConnectRefusal.QUOTA_EXCEEDED, "reconnecting too often");
            return;
        }
        check = checked;
        outcome.connecting();
        int keepAlive = checked.effectiveKeepAliveSeconds();
        ctx.pipeline().addBefore(ctx.name(), "keep-alive",
                new IdleStateHandler(keepAlive * 3L / 2, 0, 0, TimeUnit.SECONDS));
        if (gateway.muxes().enabled()) {
            int receiveMaximum = Math.min(gateway.limits().maxInflight(), checked.replyStyle().v5()
                    ? MqttReplies.intProperty(connect.variableHeader().properties(), MqttProperties.RECEIVE_MAXIMUM, 65_535)
                    : 65_535);
            gateway.muxes().whenReady(ctx.channel().eventLoop(), mux -> {
                if (outcome.ended()) {
                    return;
                }
                MuxedSession placed = mux.attach(session, connect, receiveMaximum, checked.replyStyle().v5());
                link.upstream = placed;
                session.fromUpstream(mux.connAck());
            }, reason -> {
                LOG.log(System.Logger.Level.WARNING, "no mux to " + gateway.upstream().address() + " for device "
                        + device.id() + ": " + reason);
                brokerUnavailable(reason);
            });
            return;
        }
        gateway.upstream().connect(ctx.channel().eventLoop(), new UpstreamHandler(session)).addListener(
                (ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        LOG.log(System.Logger.Level.WARNING, "upstream broker " + gateway.upstream().address()
                                + " unreachable for device " + device.id() + ": " + Errors.rootMessage(future.cause()));
                        brokerUnavailable("the upstream broker is unavailable");
                        future.channel().close();
                        return;
                    }
                    if (outcome.ended()) {
                        future.channel().close();
                        return;
                    }
                    link.upstream = new OwnBrokerConnection(future.channel());
                    future.channel().writeAndFlush(checked.upstreamConnect(gateway.upstream().address()));
                });
    }

    /**
     * The broker's CONNACK: the device gets its own (with the gateway's limits), or the refusal in the
     * device's protocol version. Only valid while connecting; the caller checks that.
     */
    void connAck(MqttConnAckMessage connAck) {
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            LOG.log(System.Logger.Level.WARNING, "upstream broker refused device " + link.current.id() + ": " + code);
            outcome.refused(check.deviceConnAckRefused(connAck));
            return;
        }
        stopDeadline();
        link.flows.limit(check.receiveMaximum(connAck, gateway.limits()));
        link.toDevice(check.deviceConnAck(connAck, gateway.limits()));
        outcome.opened();
    }

    /** The broker connection failed or closed before its CONNACK. */
    void brokerUnavailable(String reason) {
        if (!outcome.ended()) {
            refuse(MqttReplies.ConnectRefusal.SERVER_UNAVAILABLE, reason);
        }
    }

    private void refuse(MqttReplies.ConnectRefusal refusal, String reason) {
        outcome.refused(MqttReplies.connAckRefused(link.style, refusal, reason));
    }

    private void deadlinePassed() {
        if (!outcome.ended()) {
            gateway.events().emitLimited(EventType.PROTOCOL_VIOLATION, Severity.LOW,
                    link.current == null ? null : link.current.id(), link.address,
                    "no complete MQTT CONNECT within " + gateway.limits().connectTimeout().toSeconds() + " s");
            outcome.close(null);
        }
    }
}
