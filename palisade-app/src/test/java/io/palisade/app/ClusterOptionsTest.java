package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `palisade up --bus ...` refuses, before starting anything, what cannot work as one of several instances. */
class ClusterOptionsTest {

    @TempDir
    Path dir;

    private Cli.Result up(String... options) {
        String[] all = new String[options.length + 3];
        all[0] = "up";
        all[1] = "--data";
        all[2] = dir.resolve("data").toString();
        System.arraycopy(options, 0, all, 3, options.length);
        return Cli.run(all);
    }

    @Test
    void several_instances_need_a_shared_store_and_upstream() {
        Cli.Result noStore = up("--bus", "kafka://127.0.0.1:9092", "--upstream", "mqtt://127.0.0.1:1883");
        assertThat(noStore.exitCode()).isNotZero();
        assertThat(noStore.err()).contains("--bus needs --store postgresql://");
        Cli.Result noUpstream = up("--bus", "kafka://127.0.0.1:9092", "--store", "postgresql://127.0.0.1/postgres");
        assertThat(noUpstream.exitCode()).isNotZero();
        assertThat(noUpstream.err()).contains("--bus needs --upstream");
    }

    @Test
    void a_malformed_bus_or_instance_name_is_refused_with_the_expected_form() {
        Cli.Result scheme = up("--bus", "amqp://127.0.0.1:5672");
        assertThat(scheme.err()).contains("kafka://HOST:PORT[,HOST:PORT]");
        Cli.Result port = up("--bus", "kafka://127.0.0.1:99999");
        assertThat(port.err()).contains("out of range");
        Cli.Result option = up("--bus", "kafka://127.0.0.1:9092?acks=0");
        assertThat(option.err()).contains("the only bus URL option is prefix=NAME");
        Cli.Result name = up("--bus", "kafka://127.0.0.1:9092", "--store", "postgresql://127.0.0.1/postgres",
                "--upstream", "mqtt://127.0.0.1:1883", "--instance", "gw a");
        assertThat(name.err()).contains("--instance must be 1 to 64 letters");
        Cli.Result lonely = up("--instance", "gw-a");
        assertThat(lonely.err()).contains("--instance names this instance among several; it needs --bus");
    }

    @Test
    void an_unreachable_bus_stops_the_start_with_what_to_check() {
        Cli.Result unreachable = up("--bus", "kafka://127.0.0.1:1", "--store",
                "postgresql://127.0.0.1:5432/postgres?user=postgres", "--upstream", "mqtt://127.0.0.1:1883",
                "--https-port", "0", "--mqtt-port", "0");
        assertThat(unreachable.exitCode()).isNotZero();
        assertThat(unreachable.err()).contains("cannot start").contains("kafka://127.0.0.1:1")
                .contains("is Kafka running there?");
    }
}
