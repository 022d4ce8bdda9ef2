/**
 * LLRP (EPCglobal Low Level Reader Protocol), hand-written and only as far as Palisade needs it: framing messages
 * ({@link io.palisade.radio.llrp.LlrpReader}), decoding RO_ACCESS_REPORT's tag reports
 * ({@link io.palisade.radio.llrp.RoAccessReport}), and a client that keeps a connection to a reader, answers its
 * keep-alives and hands its reports on ({@link io.palisade.radio.llrp.LlrpReaderClient}).
 */
package io.palisade.radio.llrp;
