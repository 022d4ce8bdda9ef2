package io.palisade.control.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.palisade.control.http.HttpCall;
import io.palisade.control.http.HttpReply;
import io.palisade.control.http.Route;
import io.palisade.control.http.Router;
import io.palisade.control.operator.OperatorService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The console's routes and what they share: the session check (no session: to the login page, remembering where the
 * operator was going), the same-origin check on every form post (on top of SameSite=Strict cookies and the CSRF
 * token), and turning an API refusal into an error page with the API's own reason.
 */
public final class ConsoleRoutes {

    static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorService operators;
    private final InternalApi api;
    private final Pages pages = new Pages();
    private final ConsoleAssets assets = new ConsoleAssets();
    private final LiveTimeline live;
    private final LongSupplier lastEventId;

    /**
     * @param api         the router the REST API is registered on (pages read and change through it)
     * @param lastEventId the newest stored event's id (timelines show a window before it)
     */
    public ConsoleRoutes(OperatorService operators, Router api, LiveTimeline live, LongSupplier lastEventId) {
        this.operators = operators;
        this.api = new InternalApi(api);
        this.live = live;
        this.lastEventId = lastEventId;
    }

    public void register(Router router) {
        router.add("GET", "/static/{name}", (call, p) -> assets.reply(p.get("name"))
                .orElseGet(() -> HttpReply.text(404, "no such console file: " + p.get("name"))), HttpReply::jsonError);
        new LoginPages(operators, api, pages).register(router, this);
        new FleetPages(api, pages, lastEventId).register(router, this);
        new TimelinePages(api, pages, live, lastEventId).register(router, this);
        new OperationsPages(api, pages).register(router, this);
    }

    /** The signed-in operator, if the request carries a live session cookie. */
    Optional<Viewer> viewer(HttpCall call) {
        return io.palisade.control.http.SessionCookies.value(call,
                io.palisade.control.http.AdminAuthenticator.SESSION_COOKIE).flatMap(cookie ->
                operators.authenticateSession(cookie.getBytes(StandardCharsets.US_ASCII)))
                .map(session -> new Viewer(session.principal(), operators.csrfToken(session.tokenId())));
    }

    /** Whether the request's session is still open, without counting as a use of it (for long-lived streams). */
    boolean sessionOpen(HttpCall call) {
        return io.palisade.control.http.SessionCookies.value(call, io.palisade.control.http.AdminAuthenticator.SESSION_COOKIE)
                .map(cookie -> operators.sessionOpen(cookie.getBytes(StandardCharsets.US_ASCII))).orElse(false);
    }

    /** A page for signed-in operators only. */
    Route page(ConsolePage page) {
        return (call, parameters) -> {
            Optional<Viewer> viewer = viewer(call);
            if (viewer.isEmpty()) {
                return Pages.redirect("/login?next=" + URLEncoder.encode(call.path(), StandardCharsets.UTF_8));
            }
            return answer(call, parameters, viewer.get(), page);
        };
    }

    /** A form post by a signed-in operator, from a page of this console. */
    Route form(ConsolePage page) {
        return (call, parameters) -> {
            if (!sameOrigin(call)) {
                return error(403, Page.anonymous("Refused"), "this form was not posted from the console's own pages");
            }
            Optional<Viewer> viewer = viewer(call);
            if (viewer.isEmpty()) {
                return Pages.redirect("/login");
            }
            return answer(call, parameters, viewer.get(), page);
        };
    }

    private HttpReply answer(HttpCall call, Map<String, String> parameters, Viewer viewer, ConsolePage page) {
        try {
            return page.handle(call, parameters, viewer);
        } catch (ApiFailure failure) {
            if (failure.status() == 401) {
                return Pages.redirect("/login");
            }
            return error(failure.status(), viewer.page("Refused", ""), failure.getMessage());
        }
    }

    HttpReply error(int status, Page page, String message) {
        return pages.render(status, "error.jte", Map.of("page", page.withError(message), "status", status));
    }

    /**
     * A browser says where a post comes from ({@code Sec-Fetch-Site}, {@code Origin}); when it says, it must be this
     * origin. A client that says nothing (curl) still needs the session cookie and the CSRF token.
     */
    static boolean sameOrigin(HttpCall call) {
        Optional<String> site = call.header("sec-fetch-site");
        if (site.isPresent() && !site.get().equals("same-origin")) {
            return false;
        }
        Optional<String> origin = call.header("origin");
        return origin.isEmpty() || origin.get().equals("https://" + call.header("host").orElse(""));
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
