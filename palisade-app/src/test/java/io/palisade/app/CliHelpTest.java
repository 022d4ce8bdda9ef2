package io.palisade.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.palisade.app.cli.PalisadeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a user reads from `palisade help ...` and `--help`: the right command's help, and no picocli noise. */
class CliHelpTest {

    @Test
    void help_shows_the_help_of_a_nested_command() {
        Cli.Result result = Cli.run("help", "device", "add");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: palisade device add ");
        Cli.Result unknown = Cli.run("help", "device", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("palisade: unknown command 'device nope'; `palisade --help` lists them\n");
    }

    @Test
    void no_command_help_makes_picocli_warn() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            helpOfEvery(PalisadeCommand.commandLine());
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("[picocli WARN]");
    }

    private static void helpOfEvery(CommandLine command) {
        command.getUsageMessage();
        command.getSubcommands().values().forEach(CliHelpTest::helpOfEvery);
    }

    @Test
    void the_old_verb_for_deleting_a_detection_rule_still_works() {
        assertThat(Cli.run("detect", "rule-remove", "--help").out()).startsWith("Usage: palisade detect rule-delete");
    }
}
