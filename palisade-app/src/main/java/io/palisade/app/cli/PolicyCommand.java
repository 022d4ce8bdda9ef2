package io.palisade.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.palisade.app.client.ApiClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code palisade policy ...}: topic policies per profile or segment, changed at run time. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Topic policies per profile or segment. Every device may always use devices/{id}/#;"
                + " policies add access (allow) or take it away (deny, which wins). Filters may use {id} and {segment}.")
public final class PolicyCommand extends CommandGroup {

    abstract static class PolicyBase extends ApiCommand {
        void print(JsonNode policy) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Output.json(out, policy);
                return;
            }
            out.println(policy.path("scope").asText() + " " + policy.path("name").asText());
            for (String action : new String[]{"publish", "subscribe"}) {
                for (String effect : new String[]{"allow", "deny"}) {
                    JsonNode filters = policy.path(action).path(effect);
                    if (filters.size() > 0) {
                        List<String> list = new ArrayList<>();
                        filters.forEach(f -> list.add(f.asText()));
                        out.println("  " + action + " " + effect + ": " + String.join(", ", list));
                    }
                }
            }
            out.flush();
        }
    }

    abstract static class ScopedCommand extends PolicyBase {
        @Parameters(index = "0", paramLabel = "SCOPE", description = "profile or segment")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME", description = "the profile's or segment's name")
        String name;

        String path() {
            return "policies/" + kind + "/" + name;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List all policies.")
    static final class ListPolicies extends PolicyBase {
        @Override
        public void run() {
            JsonNode answer = connection.apiClient().get("policies", Map.of());
            if (json) {
                Output.json(spec.commandLine().getOut(), answer);
            } else {
                answer.path("policies").forEach(this::print);
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one policy.")
    static final class Show extends ScopedCommand {
        @Override
        public void run() {
            print(connection.apiClient().get(path(), Map.of()));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set (replace) the policy of a profile or segment; takes effect on live sessions at once.")
    static final class Set extends ScopedCommand {
        @Option(names = "--publish-allow", paramLabel = "FILTER", description = "Topic filter the devices may publish to.")
        List<String> publishAllow = new ArrayList<>();

        @Option(names = "--publish-deny", paramLabel = "FILTER", description = "Topic filter the devices may not publish to.")
        List<String> publishDeny = new ArrayList<>();

        @Option(names = "--subscribe-allow", paramLabel = "FILTER", description = "Topic filter the devices may subscribe to.")
        List<String> subscribeAllow = new ArrayList<>();

        @Option(names = "--subscribe-deny", paramLabel = "FILTER", description = "Topic filter no subscription may reach.")
        List<String> subscribeDeny = new ArrayList<>();

        @Override
        public void run() {
            ObjectNode body = ApiClient.object();
            ObjectNode publish = body.putObject("publish");
            publishAllow.forEach(publish.putArray("allow")::add);
            publishDeny.forEach(publish.putArray("deny")::add);
            ObjectNode subscribe = body.putObject("subscribe");
            subscribeAllow.forEach(subscribe.putArray("allow")::add);
            subscribeDeny.forEach(subscribe.putArray("deny")::add);
            print(connection.apiClient().put(path(), body));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete the policy of a profile or segment.")
    static final class Delete extends ScopedCommand {
        @Override
        public void run() {
            connection.apiClient().delete(path());
            spec.commandLine().getOut().println("deleted the policy of " + kind + " " + name);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Would the gateway let DEVICE publish to (or with --subscribe, subscribe to) TOPIC now?",
                    "Prints allowed or refused and the rule that decided; exit code 0 when allowed, 3 when refused."})
    static final class Test extends ApiCommand {
        @Parameters(index = "0", paramLabel = "DEVICE")
        String device;

        @Parameters(index = "1", paramLabel = "TOPIC", description = "A topic name, or with --subscribe a topic filter.")
        String topic;

        @CommandLine.ArgGroup(exclusive = true)
        Direction direction = new Direction();

        static final class Direction {
            @Option(names = "--publish", description = "Test a publish (the default).")
            boolean publish;

            @Option(names = "--subscribe", description = "Test a subscription.")
            boolean subscribe;
        }

        @Override
        public void run() {
            ObjectNode body = ApiClient.object().put("device", device).put("topic", topic)
                    .put("action", direction.subscribe ? "subscribe" : "publish");
            JsonNode answer = connection.apiClient().post("policies/test", body);
            if (json) {
                Output.json(out(), answer);
            } else {
                out().println((answer.path("allowed").asBoolean() ? "allowed: " : "refused: ")
                        + answer.path("reason").asText());
            }
            out().flush();
            if (!answer.path("allowed").asBoolean()) {
                throw new CliFailure(answer.path("action").asText() + " refused", 3);
            }
        }
    }
}
