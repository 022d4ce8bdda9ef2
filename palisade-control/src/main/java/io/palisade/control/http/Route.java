package io.palisade.control.http;

import io.palisade.control.service.Refusal;
import java.util.Map;

/** A handler for one method and path template; {@code pathParameters} holds the {@code {name}} parts. */
@FunctionalInterface
public interface Route {

    HttpReply handle(HttpCall call, Map<String, String> pathParameters) throws Refusal;
}
