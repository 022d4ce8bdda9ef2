/** Network addresses as Palisade reads them from text, without name lookups. */
package io.palisade.core.net;
