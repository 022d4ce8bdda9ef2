package io.palisade.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.device.DeviceId;
import io.palisade.core.device.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"sensor-1", "PLC_07", "a", "00:11", "x.y"})
    void accepts_ids_that_fit_certificates_topics_and_logs(String id) {
        if (id.contains(":")) {
            assertThat(DeviceId.isValid(id)).isFalse();
        } else {
            assertThat(DeviceId.of(id).urn()).isEqualTo("urn:palisade:device:" + id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-lead", ".lead", "a/b", "a+b", "a#", "with space", "new\nline", "é",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refuses_ids_that_would_need_escaping_or_carry_wildcards(String id) {
        assertThatThrownBy(() -> DeviceId.of(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid device id")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Default", "a/b", "", "x y"})
    void refuses_bad_profile_and_segment_names(String name) {
        assertThatThrownBy(() -> Names.requireValid("segment", name)).hasMessageContaining("invalid segment name");
    }
}
