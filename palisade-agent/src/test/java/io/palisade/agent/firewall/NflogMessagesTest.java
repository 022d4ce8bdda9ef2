package io.palisade.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** nfnetlink_log's messages: built here as the kernel lays them out (checked against a live socket in FirewallIT). */
class NflogMessagesTest {

    /** An IPv4 TCP SYN from 10.212.0.1:40000 to 10.212.0.2:9090 (header only). */
    private static byte[] syn() {
        return ByteBuffer.allocate(24).put((byte) 0x45).put((byte) 0).putShort((short) 60).putInt(0)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[]{10, (byte) 212, 0, 1})
                .put(new byte[]{10, (byte) 212, 0, 2}).putShort((short) 40000).putShort((short) 9090).array();
    }

    private static byte[] packetMessage(String prefix, byte[] payload) {
        byte[] prefixBytes = (prefix + "\0").getBytes(StandardCharsets.US_ASCII);
        int prefixAttribute = (4 + prefixBytes.length + 3) & ~3;
        int payloadAttribute = (4 + payload.length + 3) & ~3;
        int length = 16 + 4 + 8 + prefixAttribute + payloadAttribute;
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        out.putInt(length).putShort((short) 0x400).putShort((short) 0).putInt(0).putInt(0);
        out.put((byte) 2).put((byte) 0).putShort((short) 0);
        out.putShort((short) 8).putShort((short) 1).putShort((short) 0x0008).put((byte) 1).put((byte) 0); // packet header
        out.putShort((short) (4 + prefixBytes.length)).putShort((short) 10).put(prefixBytes);
        out.position(16 + 4 + 8 + prefixAttribute);
        out.putShort((short) (4 + payload.length)).putShort((short) 9).put(payload);
        return out.array();
    }

    @Test
    void a_datagram_of_acks_and_logged_packets_parses_to_prefixes_and_packet_summaries() {
        byte[] ack = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder()).putInt(36).putShort((short) 2)
                .putShort((short) 0x100).putInt(1).putInt(0).putInt(0).array();
        byte[] packet = packetMessage("in", syn());
        byte[] datagram = ByteBuffer.allocate(ack.length + packet.length).put(ack).put(packet).array();
        NflogMessages.Parsed parsed = NflogMessages.parse(datagram, datagram.length);
        assertThat(parsed.errors()).containsExactly(0);
        assertThat(parsed.packets()).singleElement().satisfies(logged -> {
            assertThat(logged.prefix()).isEqualTo("in");
            assertThat(logged.family()).isEqualTo(2);
            assertThat(PacketSummary.of(logged.packet()).toString()).isEqualTo("tcp 10.212.0.1:40000 -> 10.212.0.2:9090");
        });
    }

    @Test
    void config_requests_carry_the_group_in_network_order() {
        byte[] bind = NflogMessages.bind(7301, 1);
        ByteBuffer in = ByteBuffer.wrap(bind).order(ByteOrder.nativeOrder());
        assertThat(in.getInt(0)).isEqualTo(bind.length).isEqualTo(28);
        assertThat(in.getShort(4)).isEqualTo((short) 0x401);
        assertThat(ByteBuffer.wrap(bind, 18, 2).order(ByteOrder.BIG_ENDIAN).getShort()).isEqualTo((short) 7301);
        assertThat(bind[24]).as("the bind command").isEqualTo((byte) 1);
        assertThat(NflogMessages.copyPackets(7301, 2)).hasSize(32);
    }

    @Test
    void truncated_messages_and_attributes_are_refused_with_the_reason() {
        byte[] packet = packetMessage("out", syn());
        assertThatThrownBy(() -> NflogMessages.parse(packet, packet.length - 1)).hasMessageContaining("left");
        byte[] badAttribute = packet.clone();
        ByteBuffer.wrap(badAttribute).order(ByteOrder.nativeOrder()).putShort(20, (short) 2);
        assertThatThrownBy(() -> NflogMessages.parse(badAttribute, badAttribute.length))
                .hasMessageContaining("attribute of 2 bytes");
        byte[] shortError = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putInt(16).putShort((short) 2).array();
        assertThatThrownBy(() -> NflogMessages.parse(shortError, 16)).hasMessageContaining("error code");
        assertThatThrownBy(() -> PacketSummary.of(new byte[]{0x45, 0})).hasMessageContaining("IPv4 header");
        assertThatThrownBy(() -> PacketSummary.of(new byte[]{0x60})).hasMessageContaining("IPv6 header");
        assertThatThrownBy(() -> PacketSummary.of(new byte[]{0x20})).hasMessageContaining("version of 2");
        assertThatThrownBy(() -> PacketSummary.of(new byte[0])).hasMessageContaining("empty");
        assertThat(PacketSummary.of(java.util.Arrays.copyOf(syn(), 20)).sourcePort()).as("no room for ports").isEqualTo(-1);
    }
}
