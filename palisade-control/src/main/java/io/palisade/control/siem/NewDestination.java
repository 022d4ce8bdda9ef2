package io.palisade.control.siem;

import java.util.List;
import java.util.Optional;

/**
 * What an operator asks for in {@code palisade siem add}: as given, before validation.
 *
 * @param minSeverity a severity's wire name, empty for every severity
 * @param types       event type wire names, empty for every type
 * @param keyPem      the client certificate's private key (PEM); it is written to the data directory only
 * @param fromStart   deliver every stored event, not only those stored from now on
 */
public record NewDestination(String name, String url, String format, Optional<String> minSeverity, List<String> types,
                             Optional<String> caPem, Optional<String> certPem, Optional<String> keyPem,
                             boolean fromStart) {

    public NewDestination {
        types = List.copyOf(types);
    }
}
