package io.palisade.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever the packet log socket delivers: netlink framing, nfnetlink_log attributes and the IP header reader answer
 * packets or refuse with an {@link IllegalArgumentException} that says why, never anything else. Replayed over saved
 * inputs in every test run; {@code JAZZER_FUZZ=1 mvn -pl palisade-agent test -Dtest=NflogFuzzTest} fuzzes.
 */
class NflogFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyDatagramGivesPacketsOrAReason(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        try {
            NflogMessages.parse(bytes, bytes.length).packets().forEach(logged -> {
                try {
                    assertThat(PacketSummary.of(logged.packet()).protocol()).isNotEmpty();
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
            });
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            PacketSummary.of(bytes);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
