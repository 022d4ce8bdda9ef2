/**
 * The Kafka adapter for running several instances as one: {@link io.palisade.cluster.KafkaStateChannel} carries
 * the state notices of {@link io.palisade.core.cluster} between instances on a compacted topic. Thin by rule: it
 * knows Kafka and the notice format, nothing of devices, policies or sessions; {@code palisade-app} wires it.
 */
package io.palisade.cluster;
