/**
 * Passive RFID under the token vault: tags carry meaningless 96-bit tokens ({@link io.palisade.core.rfid.RfidToken}),
 * readers report sightings ({@link io.palisade.core.rfid.TagSighting}), and a tag seen where it cannot have been is a
 * clone ({@link io.palisade.core.rfid.CloneCheck}). The records behind tokens are kept encrypted by the control plane.
 */
package io.palisade.core.rfid;
