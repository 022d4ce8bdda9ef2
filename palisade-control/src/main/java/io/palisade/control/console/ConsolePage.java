package io.palisade.control.console;

import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import java.util.Map;

/** A console page or form handler, given who is looking; an {@link ApiFailure} becomes an error page. */
@FunctionalInterface
interface ConsolePage {

    HttpReply handle(HttpCall call, Map<String, String> pathParameters, Viewer viewer) throws ApiFailure;
}
