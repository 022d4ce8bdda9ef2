package io.palisade.agent.tamper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.palisade.core.tamper.TamperSensor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Kernel uevents as the kernel sends them (the messages below were read off this machine's netlink socket). */
class UeventTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Uevent parse(String text) {
        byte[] message = bytes(text);
        return Uevent.parse(message, message.length).orElseThrow();
    }

    @Test
    void a_kernel_message_gives_action_path_and_properties() {
        Uevent event = parse("change@/devices/virtual/net/lo\0ACTION=change\0DEVPATH=/devices/virtual/net/lo\0"
                + "SUBSYSTEM=net\0SYNTH_UUID=0\0INTERFACE=lo\0IFINDEX=1\0SEQNUM=829\0");
        assertThat(event.action()).isEqualTo("change");
        assertThat(event.devpath()).isEqualTo("/devices/virtual/net/lo");
        assertThat(event.property("SUBSYSTEM")).hasValue("net");
        assertThat(event.property("SEQNUM")).hasValue("829");
        assertThat(UeventRules.signal(event)).as("not an insertion").isEmpty();
    }

    @Test
    void a_usb_device_and_a_disk_attached_are_tamper_signals_but_their_interfaces_and_partitions_are_not() {
        assertThat(UeventRules.signal(parse("add@/devices/pci0000:00/0000:00:14.0/usb1/1-2\0ACTION=add\0"
                + "SUBSYSTEM=usb\0DEVTYPE=usb_device\0PRODUCT=781/5567/100\0")))
                .hasValueSatisfying(s -> {
                    assertThat(s.sensor()).isEqualTo(TamperSensor.USB);
                    assertThat(s.detail()).contains("781/5567/100");
                });
        assertThat(UeventRules.signal(parse("add@/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0\0ACTION=add\0"
                + "SUBSYSTEM=usb\0DEVTYPE=usb_interface\0"))).isEmpty();
        assertThat(UeventRules.signal(parse("add@/devices/platform/mmc0/mmc0:0001/block/mmcblk0\0ACTION=add\0"
                + "SUBSYSTEM=block\0DEVTYPE=disk\0DEVNAME=mmcblk0\0")))
                .hasValueSatisfying(s -> {
                    assertThat(s.sensor()).isEqualTo(TamperSensor.STORAGE);
                    assertThat(s.detail()).isEqualTo("storage attached as /dev/mmcblk0");
                });
        assertThat(UeventRules.signal(parse("add@/devices/platform/mmc0/mmc0:0001/block/mmcblk0/mmcblk0p1\0"
                + "ACTION=add\0SUBSYSTEM=block\0DEVTYPE=partition\0"))).isEmpty();
        assertThat(UeventRules.signal(parse("remove@/devices/virtual/block/loop0\0ACTION=remove\0SUBSYSTEM=block\0"
                + "DEVTYPE=disk\0"))).as("a removal").isEmpty();
    }

    @Test
    void udevs_own_messages_are_skipped_and_malformed_ones_refused_with_the_reason() {
        byte[] udev = bytes("libudev\0\u00fe\u00ed\u00ca\u00fe binary");
        assertThat(Uevent.parse(udev, udev.length)).isEmpty();
        assertThatThrownBy(() -> parse("no header here\0A=B\0")).hasMessageContaining("ACTION@DEVPATH");
        assertThatThrownBy(() -> parse("add@/x\0NOEQUALS\0")).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> parse("add@/x\0ACTION=remove\0")).hasMessageContaining("ACTION says");
        StringBuilder many = new StringBuilder("add@/x\0");
        for (int i = 0; i < 65; i++) {
            many.append("K").append(i).append("=V\0");
        }
        assertThatThrownBy(() -> parse(many.toString())).hasMessageContaining("more than 64");
        byte[] short_ = bytes("add@/x");
        assertThatThrownBy(() -> Uevent.parse(short_, 99)).hasMessageContaining("length");
    }
}
