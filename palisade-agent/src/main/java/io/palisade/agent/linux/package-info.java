/**
 * The few Linux system calls the agent needs and Java does not offer (a netlink socket for kernel
 * uevents, prctl and setrlimit to keep secrets out of core dumps), through JNA. Nothing else in the agent
 * touches native code.
 */
package io.palisade.agent.linux;
