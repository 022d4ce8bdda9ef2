/** Helpers shared by the modules' tests (published as palisade-core's test jar). */
package io.palisade.core.testing;
