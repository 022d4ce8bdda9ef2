package io.palisade.control.console;

import io.palisade.control.operator.Principal;
import io.palisade.core.operator.Permission;

/** The operator looking at a console page, from the session cookie, and the CSRF token their forms carry. */
record Viewer(Principal principal, String csrf) {

    /** Whether the viewer's role may make {@code method} on API path {@code apiPath} (to show or hide a button). */
    boolean may(String method, String apiPath) {
        Permission needed = io.palisade.control.http.RoleMatrix.required(method, apiPath);
        return principal.role().may(needed);
    }

    Page page(String title, String section) {
        return new Page(title, section, principal.name(), principal.role().wireName(), csrf, "", "");
    }
}
