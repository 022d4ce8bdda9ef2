package io.palisade.app.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Which subcommands each command group has, and the picocli command line built from them: all of it for
 * help and tests, or only the path a command line names.
 *
 * <p>Why not picocli's {@code subcommands = {...}}: picocli builds every subcommand it is given by reading its
 * annotations through reflection, and its own classes are compiled for Java 5, which the JVM verifies slowly.
 * For an API command that finishes in half a second, building the ~70 commands it does not run cost about a
 * fifth of its time (measured: {@code device show} model 0.18 s for the whole tree, 0.03 s for its path).
 */
final class CommandTree {

    private static final Map<Class<?>, List<Class<?>>> CHILDREN = Map.ofEntries(
            Map.entry(PalisadeCommand.class, List.of(UpCommand.class, DeviceCommand.class, PolicyCommand.class,
                    SegmentCommand.class, EventsCommand.class, RolloutCommand.class, SimCommand.class, AgentCommand.class, AttestCommand.class,
                    FimCommand.class, DetectCommand.class, FirmwareCommand.class, RepoCommand.class,
                    SiemCommand.class, AuditCommand.class, OperatorCommand.class, ModbusCommand.class,
                    OverlayCommand.class, TunnelCommand.class, ZigbeeCommand.class, RfidCommand.class, AdminTokenCommand.class,
                    HelpCommand.class)),
            Map.entry(OperatorCommand.class, List.of(OperatorCommand.Add.class,
                    OperatorCommand.ListOperators.class,
                    OperatorCommand.Remove.class,
                    OperatorCommand.Passwd.class, OperatorCommand.ChangePassword.class,
                    OperatorCommand.TotpCommand.class,
                    OperatorCommand.Token.class,
                    OperatorCommand.Tokens.class,
                    OperatorCommand.RevokeToken.class,
                    OperatorCommand.Login.class)),
            Map.entry(AuditCommand.class, List.of(AuditCommand.Verify.class, AuditCommand.Run.class)),
            Map.entry(ModbusCommand.class, List.of(ModbusCommand.Set.class, ModbusCommand.ListRules.class,
                    ModbusCommand.Delete.class, ModbusCommand.Blocks.class, ModbusCommand.Unblock.class)),
            Map.entry(OverlayCommand.class, List.of(OverlayCommand.Grant.class, OverlayCommand.Revoke.class,
                    OverlayCommand.ListGrants.class, OverlayCommand.Hosts.class)),
            Map.entry(OverlayCommand.Hosts.class, List.of(OverlayCommand.SetHost.class, OverlayCommand.ListHosts.class,
                    OverlayCommand.DeleteHost.class)),
            Map.entry(TunnelCommand.class, List.of(TunnelCommand.Open.class)),
            Map.entry(AgentCommand.class, List.of(AgentCommand.Run.class)),
            Map.entry(AttestCommand.class, List.of(AttestCommand.Expect.class, AttestCommand.Show.class,
                    AttestCommand.Clear.class, AttestCommand.Run.class)),
            Map.entry(ZigbeeCommand.class, List.of(ZigbeeCommand.Keys.class, ZigbeeCommand.Bind.class,
                    ZigbeeCommand.Unbind.class, ZigbeeCommand.ListAll.class, ZigbeeCommand.Ingest.class)),
            Map.entry(RfidCommand.class, List.of(RfidCommand.Issue.class, RfidCommand.Lookup.class,
                    RfidCommand.ListTokens.class, RfidCommand.Rotate.class, RfidCommand.Erase.class,
                    RfidCommand.Passwords.class, RfidCommand.Release.class, RfidCommand.Readers.class)),
            Map.entry(RfidCommand.Readers.class, List.of(RfidCommand.SetReader.class, RfidCommand.ListReaders.class,
                    RfidCommand.DeleteReader.class)),
            Map.entry(ZigbeeCommand.Keys.class, List.of(ZigbeeCommand.AddKey.class, ZigbeeCommand.DeleteKey.class)),
            Map.entry(SiemCommand.class, List.of(SiemCommand.Add.class,
                    SiemCommand.ListDestinations.class,
                    SiemCommand.Remove.class,
                    SiemCommand.Test.class)),
            Map.entry(AdminTokenCommand.class, List.of(AdminTokenCommand.RotateToken.class)),
            Map.entry(DeviceCommand.class, List.of(DeviceCommand.Add.class,
                    DeviceCommand.Token.class,
                    DeviceCommand.Psk.class,
                    DeviceCommand.Rpk.class,
                    DeviceCommand.ListDevices.class,
                    DeviceCommand.Show.class,
                    DeviceCommand.Certificates.class,
                    DeviceCommand.Decommission.class,
                    DeviceCommand.Delete.class,
                    DeviceCommand.Revoke.class,
                    DeviceCommand.Quarantine.class,
                    DeviceCommand.Release.class,
                    DeviceCommand.Tag.class,
                    DeviceCommand.Wipe.class, DeviceCommand.Lock.class, DeviceCommand.Unlock.class,
                    DeviceCommand.Reflash.class,
                    EnrollCommand.class,
                    RenewCommand.class)),
            Map.entry(PolicyCommand.class, List.of(PolicyCommand.ListPolicies.class,
                    PolicyCommand.Show.class,
                    PolicyCommand.Set.class,
                    PolicyCommand.Delete.class,
                    PolicyCommand.Test.class)),
            Map.entry(SegmentCommand.class, List.of(SegmentCommand.Quarantine.class,
                    SegmentCommand.Release.class,
                    SegmentCommand.Show.class)),
            Map.entry(RolloutCommand.class, List.of(RolloutCommand.Create.class,
                    RolloutCommand.ListRollouts.class,
                    RolloutCommand.Status.class,
                    RolloutCommand.Approve.class,
                    RolloutCommand.Pause.class,
                    RolloutCommand.Resume.class,
                    RolloutCommand.Cancel.class)),
            Map.entry(SimCommand.class, List.of(SimCommand.Fleet.class)),
            Map.entry(FimCommand.class, List.of(FimCommand.MakeBaseline.class,
                    FimCommand.Check.class,
                    FimCommand.Watch.class)),
            Map.entry(DetectCommand.class, List.of(DetectCommand.Rules.class,
                    DetectCommand.SetRule.class,
                    DetectCommand.RemoveRule.class,
                    DetectCommand.Alerts.class,
                    DetectCommand.Feedback.class,
                    DetectCommand.Tuning.class,
                    DetectCommand.Pending.class,
                    DetectCommand.Approve.class,
                    DetectCommand.Dismiss.class,
                    DetectCommand.Features.class,
                    DetectCommand.Eval.class)),
            Map.entry(FirmwareCommand.class, List.of(FirmwareCommand.Keygen.class,
                    FirmwareCommand.Sign.class,
                    FirmwareCommand.Verify.class,
                    FirmwareCommand.Inspect.class,
                    FirmwareCommand.AdmitKey.class)),
            Map.entry(RepoCommand.class, List.of(RepoCommand.Init.class,
                    RepoCommand.AddTarget.class,
                    RepoCommand.Publish.class,
                    RepoCommand.RotateKey.class,
                    RepoCommand.Delegate.class))
    );

    private CommandTree() {
    }

    /** {@code command} with every subcommand under it. */
    static CommandLine full(Class<?> command) {
        CommandLine commandLine = new CommandLine(command);
        for (Class<?> child : children(command)) {
            commandLine.addSubcommand(full(child));
        }
        return commandLine;
    }

    /**
     * {@code command} with only the subcommands {@code args} walk through: at each level the argument that
     * names a subcommand gets only that one built; a level where the argument names none (an option such as
     * {@code --help}, a typo, nothing) gets all of them, so that help and picocli's error messages are as
     * complete as with {@link #full}. {@code help} needs the whole tree.
     */
    static CommandLine along(Class<?> command, String[] args, int position) {
        if (position < args.length && args[position].equals("help") && command == PalisadeCommand.class) {
            return full(command);
        }
        Class<?> named = position < args.length ? childNamed(command, args[position]) : null;
        if (named == null) {
            return full(command);
        }
        CommandLine commandLine = new CommandLine(command);
        commandLine.addSubcommand(along(named, args, position + 1));
        return commandLine;
    }

    static List<Class<?>> children(Class<?> command) {
        return CHILDREN.getOrDefault(command, List.of());
    }

    private static Class<?> childNamed(Class<?> command, String name) {
        for (Class<?> child : children(command)) {
            Command annotation = child.getAnnotation(Command.class);
            if (annotation.name().equals(name) || List.of(annotation.aliases()).contains(name)) {
                return child;
            }
        }
        return null;
    }
}
