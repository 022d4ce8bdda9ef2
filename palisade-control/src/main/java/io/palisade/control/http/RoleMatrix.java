package io.palisade.control.http;

import io.palisade.core.operator.Permission;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What each API request needs, in one place (README "Operators and roles" has it as a table):
 * <ul>
 *   <li>{@code audit/...} (verify the chain, run checks, read findings): {@link Permission#AUDIT};</li>
 *   <li>{@code operators/...}: {@link Permission#ADMINISTER}, reading included (hashes and tokens are nobody's business);</li>
 *   <li>{@code account/...} (an operator's own password) and {@code overlay/certificate} (an operator's own tunnel
 *       certificate; grants decide what it reaches): {@link Permission#READ}, which every role has: it concerns only
 *       the one asking;</li>
 *   <li>reading what an RFID token stands for ({@code GET rfid/tokens/TOKEN}, each read recorded):
 *       {@link Permission#OPERATE};</li>
 *   <li>any other GET or HEAD, and {@code POST policies/test} (a question, not a change): {@link Permission#READ};</li>
 *   <li>incident handling: quarantine and release of devices and segments, wipe, reflash, lock, unlock and attestation challenges, roll-out approve,
 *       pause, resume and cancel, detection feedback and pending approvals, a SIEM test record, integrity
 *       reports, revoking an overlay grant (cutting its tunnels), lifting a Modbus address block, verifying a
 *       ZigBee capture:
 *       {@link Permission#OPERATE};</li>
 *   <li>every other change: {@link Permission#ADMINISTER}.</li>
 * </ul>
 */
public final class RoleMatrix {

    private static final List<Pattern> OPERATE = List.of(
            Pattern.compile("devices/[^/]+/(quarantine|release|wipe|reflash|lock|unlock|attest)"),
            Pattern.compile("segments/[^/]+/(quarantine|release)"),
            Pattern.compile("rollouts/[^/]+/(approve|pause|resume|cancel)"),
            Pattern.compile("detection/alerts/[^/]+/feedback"),
            Pattern.compile("detection/pending/[^/]+/(approve|dismiss)"),
            Pattern.compile("siem/[^/]+/test"),
            Pattern.compile("integrity"),
            Pattern.compile("overlay/grants/[^/]+/revoke"),
            Pattern.compile("modbus/blocks/[^/]+/unblock"),
            Pattern.compile("zigbee/captures"));

    /** Reads that disclose secrets (what an RFID token stands for): incident handling, not viewing. */
    private static final List<Pattern> SENSITIVE_READS = List.of(
            Pattern.compile("rfid/tokens/[^/]+"));

    private RoleMatrix() {
    }

    public static Permission required(String method, String path) {
        String route = path.startsWith(AdminApiRoutes.PREFIX) ? path.substring(AdminApiRoutes.PREFIX.length())
                : path.startsWith("/") ? path.substring(1) : path;
        if (route.startsWith("audit/")) {
            return Permission.AUDIT;
        }
        if (route.startsWith("account/") || route.equals("overlay/certificate")) {
            return Permission.READ;
        }
        if (route.equals("operators") || route.startsWith("operators/")) {
            return Permission.ADMINISTER;
        }
        if ((method.equals("GET") || method.equals("HEAD"))
                && SENSITIVE_READS.stream().anyMatch(p -> p.matcher(route).matches())) {
            return Permission.OPERATE;
        }
        if (method.equals("GET") || method.equals("HEAD") || (method.equals("POST") && route.equals("policies/test"))) {
            return Permission.READ;
        }
        if (method.equals("POST") && OPERATE.stream().anyMatch(p -> p.matcher(route).matches())) {
            return Permission.OPERATE;
        }
        return Permission.ADMINISTER;
    }
}
