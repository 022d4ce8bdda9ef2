package io.palisade.legacy.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The role extension's value, read strictly: a DER OCTET STRING holding one UTF8String, or a reason. */
class RoleExtensionTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    @Test
    void a_well_formed_role_is_read_and_anything_else_is_refused_with_the_reason() {
        assertThat(RoleExtension.parse(hex("040A0C08656E67696E656572"))).isEqualTo("engineer");
        assertThat(RoleExtension.parse(hex("04050C03E282AC"))).isEqualTo("€");
        assertThatThrownBy(() -> RoleExtension.parse(hex("040A1308656E67696E656572")))
                .hasMessage("the role is not a UTF8String");
        assertThatThrownBy(() -> RoleExtension.parse(hex("0C08656E67696E656572")))
                .hasMessage("the extension value is not an OCTET STRING");
        assertThatThrownBy(() -> RoleExtension.parse(hex("040A0C09656E67696E656572")))
                .hasMessage("the role is not a UTF8String (its length does not match)");
        assertThatThrownBy(() -> RoleExtension.parse(hex("04040C02C328"))).hasMessage("the role is not valid UTF-8");
        assertThatThrownBy(() -> RoleExtension.parse(hex("04020C00"))).hasMessageContaining("1-64 printable characters");
        assertThatThrownBy(() -> RoleExtension.parse(hex("04030C010A"))).hasMessageContaining("printable");
        assertThatThrownBy(() -> RoleExtension.parse(hex("04820001")))
                .hasMessage("the extension value is not an OCTET STRING (a length over 255 bytes)");
        assertThatThrownBy(() -> RoleExtension.parse(hex("04810A0C08656E67696E656572")))
                .hasMessage("the extension value is not an OCTET STRING (bad DER length)");
        assertThatThrownBy(() -> RoleExtension.parse(new byte[0])).hasMessage("the extension value is not an OCTET STRING");
    }

    /** {@code JAZZER_FUZZ=1 mvn -pl palisade-legacy test -Dtest=RoleExtensionTest} fuzzes. */
    @FuzzTest(maxDuration = "60s")
    void anyExtensionValueIsReadOrRefusedWithAReason(byte[] der) {
        if (der == null) {
            return;
        }
        try {
            String role = RoleExtension.parse(der);
            assertThat(role.length()).isBetween(1, RoleExtension.MAX_ROLE_CHARS);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
