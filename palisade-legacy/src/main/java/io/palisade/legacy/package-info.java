/** Adapters that protect legacy industrial protocols; each decides through core's transport-free firewalls. */
package io.palisade.legacy;
