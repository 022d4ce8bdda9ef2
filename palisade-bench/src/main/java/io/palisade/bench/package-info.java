/**
 * Benchmarks that print Palisade's numbers beside a peer's from the same run, as ratios. Run with
 * {@code ./palisade-bench [crypto|est|all]}; never part of the test suite.
 */
package io.palisade.bench;
