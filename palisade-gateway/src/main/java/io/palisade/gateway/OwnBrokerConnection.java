package io.palisade.gateway;

import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;

/** A session's own connection to the broker: the broker sees the device's client id, will and session. */
final class OwnBrokerConnection implements BrokerSide {

    private final Channel channel;

    OwnBrokerConnection(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(Object message) {
        channel.write(message);
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void readFromBroker(boolean read) {
        channel.config().setAutoRead(read);
    }

    @Override
    public void end(MqttMessage lastPacket) {
        GracefulClose.close(channel, lastPacket);
    }
}
