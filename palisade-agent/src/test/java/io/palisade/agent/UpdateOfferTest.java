package io.palisade.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Update offers arrive over MQTT: anything malformed is ignored, never an exception. */
class UpdateOfferTest {

    private static java.util.Optional<UpdateOffer> parse(String text) {
        return UpdateOffer.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_offer_names_a_target_and_usually_its_roll_out() {
        assertThat(parse("{\"rollout\":\"ro-1\",\"target\":\"firmware/a.img\"}"))
                .contains(new UpdateOffer("ro-1", "firmware/a.img"));
        assertThat(parse("{\"target\":\"firmware/a.img\"}")).contains(new UpdateOffer("", "firmware/a.img"));
    }

    @Test
    void withdrawn_malformed_and_oversized_offers_are_ignored() {
        assertThat(parse("")).as("an empty retained message withdraws the offer").isEmpty();
        assertThat(parse("{")).isEmpty();
        assertThat(parse("{\"target\":\"\"}")).isEmpty();
        assertThat(parse("{\"target\":42}")).isEmpty();
        assertThat(parse("[\"firmware/a.img\"]")).isEmpty();
        assertThat(UpdateOffer.parse(new byte[UpdateOffer.MAX_BYTES + 1])).isEmpty();
    }

    /** {@code JAZZER_FUZZ=1 mvn -pl palisade-agent test -Dtest=UpdateOfferTest} fuzzes for real. */
    @FuzzTest(maxDuration = "60s")
    void parsing_never_throws(byte[] payload) {
        UpdateOffer.parse(payload);
    }
}
