package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code palisade audit ...}: the tamper-evident audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The audit trail: stored events form a hash chain pinned by signed checkpoints.")
public final class AuditCommand extends CommandGroup {

    /** Exit code when the chain is broken or checks found something. */
    static final int BROKEN = 3;

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run every audit check now: certificates about to expire unrenewed, revoked devices still"
                    + " connected, devices never enrolled, one identity from many addresses, policies reaching other"
                    + " devices' topics, detection off, failing SIEM destinations.",
                    "Each finding is also an audit.finding event; exit code 0 when there is none, 3 when there are."})
    static final class Run extends ApiCommand {
        @Override
        public void run() {
            JsonNode answer = api().post("audit/run", io.palisade.app.client.ApiClient.object());
            JsonNode findings = answer.path("findings");
            if (json) {
                Output.json(out(), answer);
            } else if (findings.isEmpty()) {
                out().println("no findings");
            } else {
                for (JsonNode finding : findings) {
                    out().println(finding.path("severity").asText() + "  " + finding.path("check").asText() + "  "
                            + finding.path("message").asText());
                }
            }
            out().flush();
            if (!findings.isEmpty()) {
                throw new CliFailure(findings.size() + " audit finding" + (findings.size() == 1 ? "" : "s"), BROKEN);
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute the chain of stored events and check every signed checkpoint and gap record.",
                    "Names the first broken link and why; exit code 0 when intact, 3 when broken."})
    static final class Verify extends ApiCommand {
        @Option(names = "--from", paramLabel = "ID", description = "verify the events after this id (default: all)")
        long from;

        @Override
        public void run() {
            JsonNode verdict = api().get("audit/verify", from > 0 ? Map.of("from", Long.toString(from)) : Map.of());
            if (json) {
                Output.json(out(), verdict);
                out().flush();
            } else if (verdict.path("intact").asBoolean()) {
                out().println("intact: " + verdict.path("checked").asLong() + " events, "
                        + verdict.path("checkpoints").asLong() + " signed checkpoints, " + verdict.path("gaps").asLong()
                        + " pruned runs; " + verdict.path("unsigned_tail").asLong() + " newest events not yet under a"
                        + " checkpoint" + (verdict.path("unchained").asLong() > 0 ? "; "
                        + verdict.path("unchained").asLong() + " events predate the chain" : ""));
                out().flush();
            }
            if (!verdict.path("intact").asBoolean()) {
                throw new CliFailure("audit chain broken at event " + verdict.path("broken_at").asLong() + ": "
                        + verdict.path("reason").asText(), BROKEN);
            }
        }
    }
}
