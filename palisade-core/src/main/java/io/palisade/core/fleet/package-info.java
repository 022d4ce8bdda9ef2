/**
 * The control plane's messaging with devices over MQTT, free of any client library: the channel
 * interface the transport implements, and the topics of each device's management channel.
 */
package io.palisade.core.fleet;
