package io.palisade.firmware.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import io.palisade.firmware.FirmwareCrypto;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Which targets a delegation covers, as the TUF specification defines it: {@code paths} are shell-style
 * patterns matched segment by segment (a {@code *} never crosses a {@code /}, and pattern and path have
 * the same number of segments, as python-tuf matches them), or {@code path_hash_prefixes} are hex
 * prefixes of the SHA-256 of the target path.
 */
public final class Delegations {

    private static final Pattern SAFE_ROLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Delegations() {
    }

    public static boolean covers(JsonNode delegation, String path) {
        if (delegation.has("path_hash_prefixes")) {
            String hash = HexFormat.of().formatHex(FirmwareCrypto.sha256(path.getBytes(StandardCharsets.UTF_8)));
            for (JsonNode prefix : delegation.path("path_hash_prefixes")) {
                if (hash.startsWith(prefix.asText().toLowerCase(java.util.Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode pattern : delegation.path("paths")) {
            if (matches(pattern.asText(), path)) {
                return true;
            }
        }
        return false;
    }

    /** Role names become file names ({@code NAME.json}): no separators, no dot files, nothing that escapes. */
    public static boolean isSafeRoleName(String name) {
        return SAFE_ROLE_NAME.matcher(name).matches() && !name.contains("..");
    }

    static boolean matches(String pattern, String path) {
        String[] patternParts = pattern.split("/", -1);
        String[] pathParts = path.split("/", -1);
        if (patternParts.length != pathParts.length) {
            return false;
        }
        for (int i = 0; i < pathParts.length; i++) {
            if (!segmentRegex(patternParts[i]).matcher(pathParts[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    /** fnmatch for one segment: {@code *}, {@code ?}, {@code [abc]} and {@code [!abc]}; everything else literal. */
    private static Pattern segmentRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int end = glob.indexOf(']', i + 2);
                String set = glob.substring(i + 1, end);
                boolean negated = set.startsWith("!");
                regex.append('[').append(negated ? "^" : "").append(classMembers(negated ? set.substring(1) : set))
                        .append(']');
                i = end;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Keeps ranges ({@code a-z}) and escapes what Java's character classes would otherwise interpret. */
    private static String classMembers(String set) {
        StringBuilder out = new StringBuilder();
        for (char c : set.toCharArray()) {
            if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
