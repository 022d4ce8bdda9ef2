/**
 * Physical tamper evidence: the report a device's agent signs and numbers when a sensor fires (case
 * switch, GPIO line, USB or storage inserted), and the responses the control plane may take to it.
 * Transport-free: the agent publishes reports on its management channel, the control plane checks them.
 */
package io.palisade.core.tamper;
