/**
 * Several Palisade instances acting as one: the notices one instance sends the others when the standing of a
 * device, a policy or a segment changes, and the channel they travel on. The shared store stays the truth; a
 * notice only says what to read again, so a lost or repeated notice never leaves an instance with a wrong
 * state, only a late one. Transport-free: the Kafka adapter lives in {@code palisade-cluster}, and a single
 * instance uses {@link io.palisade.core.cluster.StateChannel#NONE}.
 */
package io.palisade.core.cluster;
