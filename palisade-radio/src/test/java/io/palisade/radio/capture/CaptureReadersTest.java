package io.palisade.radio.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureReadersTest {

    private static final byte[] FRAME = HexFormat.of().parseHex("4188016a1a00003b7a0102030405");
    private static final Instant T = Instant.parse("2026-12-03T10:00:00.123456Z");

    @Test
    void a_pcap_round_trips_with_times_and_a_bad_fcs_is_counted_not_delivered() throws Exception {
        byte[] file = new PcapWriter().frame(T, FRAME).frame(T.plusSeconds(1), FRAME).toByteArray();
        file[file.length - 1] ^= 0x01; // the second record's FCS
        List<CapturedFrame> frames = new ArrayList<>();
        PcapReader.Summary summary = PcapReader.read(new ByteArrayInputStream(file), "f", frames::add);
        assertThat(summary).isEqualTo(new PcapReader.Summary(1, 1));
        assertThat(frames.get(0).frame()).containsExactly(FRAME);
        assertThat(frames.get(0).time()).isEqualTo(T);
    }

    @Test
    void pcapng_other_link_types_and_truncation_are_refused_by_name() {
        byte[] pcapng = HexFormat.of().parseHex("0a0d0d0a" + "00".repeat(24));
        assertThatThrownBy(() -> PcapReader.read(new ByteArrayInputStream(pcapng), "f", f -> { }))
                .hasMessageContaining("editcap -F pcap");
        byte[] ethernet = new PcapWriter().toByteArray();
        ethernet[20] = 1;
        assertThatThrownBy(() -> PcapReader.read(new ByteArrayInputStream(ethernet), "f", f -> { }))
                .hasMessageContaining("link type 1 is not IEEE 802.15.4");
        byte[] file = new PcapWriter().frame(T, FRAME).toByteArray();
        byte[] truncated = java.util.Arrays.copyOf(file, file.length - 3);
        assertThatThrownBy(() -> PcapReader.read(new ByteArrayInputStream(truncated), "f", f -> { }))
                .hasMessageContaining("truncated");
    }

    @Test
    void chunks_are_valid_pcaps_holding_every_record_in_order() throws Exception {
        PcapWriter writer = new PcapWriter();
        for (int i = 0; i < 100; i++) {
            writer.frame(T.plusSeconds(i), FRAME);
        }
        List<byte[]> chunks = PcapChunks.split(writer.toByteArray(), 500);
        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(500));
        List<CapturedFrame> frames = new ArrayList<>();
        for (byte[] chunk : chunks) {
            PcapReader.read(new ByteArrayInputStream(chunk), "f", frames::add);
        }
        assertThat(frames).hasSize(100);
        assertThat(frames.get(99).time()).isEqualTo(T.plusSeconds(99).minusNanos(0));
    }

    @Test
    void zep_carries_one_frame_and_its_fcs_is_checked() throws Exception {
        byte[] datagram = ZepDecoder.encode(11, 7, 1, FRAME);
        assertThat(ZepDecoder.frame(datagram)).containsExactly(FRAME);
        datagram[datagram.length - 1] ^= 0x01;
        assertThatThrownBy(() -> ZepDecoder.frame(datagram)).hasMessageContaining("frame check sequence");
        assertThatThrownBy(() -> ZepDecoder.frame("GET / HTTP/1.1".getBytes())).hasMessageContaining("not a ZEP");
    }
}
