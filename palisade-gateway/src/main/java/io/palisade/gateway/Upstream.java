package io.palisade.gateway;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;

/** Where device sessions are relayed to. The real one is {@link UpstreamConnector}; tests script their own. */
interface Upstream {

    /** Opens a connection on {@code loop} whose MQTT packets go to {@code handler} (the pipeline's last). */
    ChannelFuture connect(EventLoop loop, ChannelHandler handler);

    UpstreamAddress address();
}
