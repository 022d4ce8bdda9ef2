package io.palisade.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Building only the commands a command line names must not change what any command does or prints. */
class CommandTreeTest {

    @Test
    void a_command_line_builds_only_the_path_it_names() {
        CommandLine root = PalisadeCommand.commandLineFor("device", "show", "d1", "--json");
        assertThat(root.getSubcommands()).containsOnlyKeys("device");
        assertThat(root.getSubcommands().get("device").getSubcommands()).containsOnlyKeys("show");
        assertThat(PalisadeCommand.commandLineFor("detect", "rule-remove", "r1").getSubcommands().get("detect")
                .getSubcommands()).containsOnlyKeys("rule-delete", "rule-remove");
    }

    @Test
    void help_options_typos_and_nothing_get_the_whole_level() {
        int all = PalisadeCommand.commandLine().getSubcommands().size();
        assertThat(PalisadeCommand.commandLineFor().getSubcommands()).hasSize(all);
        assertThat(PalisadeCommand.commandLineFor("--help").getSubcommands()).hasSize(all);
        assertThat(PalisadeCommand.commandLineFor("devcie", "list").getSubcommands()).hasSize(all);
        assertThat(PalisadeCommand.commandLineFor("help", "device", "show").getSubcommands()).hasSize(all);
        assertThat(PalisadeCommand.commandLineFor("device", "--help").getSubcommands().get("device")
                .getSubcommands()).containsKeys("add", "list", "show", "enroll", "renew");
    }

    @Test
    void every_command_prints_the_same_help_built_alone_as_in_the_whole_tree() {
        List<List<String>> paths = new ArrayList<>();
        collect(PalisadeCommand.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(50);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertThat(run(PalisadeCommand.commandLineFor(args.toArray(String[]::new)), args))
                    .as(String.join(" ", path))
                    .isEqualTo(run(PalisadeCommand.commandLine(), args));
        }
    }

    @Test
    void a_mistyped_subcommand_gets_the_same_suggestion() {
        List<String> args = List.of("device", "sho", "d1");
        assertThat(run(PalisadeCommand.commandLineFor(args.toArray(String[]::new)), args))
                .contains("Did you mean: device show")
                .isEqualTo(run(PalisadeCommand.commandLine(), args));
    }

    private static String run(CommandLine commandLine, List<String> args) {
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        int code = commandLine.execute(args.toArray(String[]::new));
        return code + "\n" + out;
    }

    private static void collect(CommandLine command, List<String> prefix, List<List<String>> into) {
        for (Map.Entry<String, CommandLine> child : command.getSubcommands().entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(child.getKey());
            into.add(path);
            collect(child.getValue(), path, into);
        }
    }
}
