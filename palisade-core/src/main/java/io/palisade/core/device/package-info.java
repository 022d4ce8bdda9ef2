/** Devices as the control plane knows them: identity, profile, segment, lifecycle state, and the registry interface. */
package io.palisade.core.device;
