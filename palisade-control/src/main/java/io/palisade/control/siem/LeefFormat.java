package io.palisade.control.siem;

import io.palisade.core.event.SecurityEvent;

/**
 * QRadar LEEF 2.0 ({@code LEEF:2.0|Vendor|Product|Version|EventID|x09|attr=value<TAB>...}) with the tab
 * declared as the attribute delimiter. Header fields escape {@code |}; LEEF has no escape for the
 * delimiter, so tabs and line breaks inside values become spaces.
 *
 * <p>Attributes: {@code devTime} (epoch ms, which QRadar reads without a {@code devTimeFormat}), {@code sev}
 * 1–10 as in {@link CefFormat}, {@code cat} the type, {@code src} when the source is an address (else
 * {@code source}), {@code eventId} the store's id, {@code device}, {@code details}, {@code msg}.
 */
final class LeefFormat implements EventFormatter {

    private static final char DELIMITER = '\t';
    private final Origin origin;

    LeefFormat(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String format(SecurityEvent event) {
        StringBuilder out = new StringBuilder(256).append("LEEF:2.0|");
        header(out, Origin.VENDOR);
        header(out, Origin.PRODUCT);
        header(out, origin.version());
        header(out, event.type().wireName());
        out.append("x09|");
        attribute(out, "devTime", Long.toString(event.time().toEpochMilli()));
        attribute(out, "sev", Integer.toString(CefFormat.severity(event.severity())));
        attribute(out, "cat", event.type().wireName());
        attribute(out, "eventId", Long.toString(event.id()));
        io.palisade.core.net.IpLiteral.parse(event.source()).ifPresentOrElse(address -> attribute(out, "src", address.getHostAddress()),
                () -> {
                    if (!event.source().isEmpty()) {
                        attribute(out, "source", event.source());
                    }
                });
        event.device().ifPresent(device -> attribute(out, "device", device.value()));
        if (!event.details().isEmpty()) {
            attribute(out, "details", CefFormat.details(event.details()));
        }
        attribute(out, "msg", event.message());
        out.setLength(out.length() - 1); // the delimiter after the last attribute
        return out.toString();
    }

    private static void header(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '|' || c == '\\') {
                out.append('\\');
            }
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        out.append('|');
    }

    private static void attribute(StringBuilder out, String key, String value) {
        out.append(key).append('=');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        out.append(DELIMITER);
    }
}
