/** Rate limits shared by the control plane and (later) the gateway: token buckets keyed by address or device. */
package io.palisade.core.limit;
