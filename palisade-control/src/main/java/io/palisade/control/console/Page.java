package io.palisade.control.console;

/**
 * What every console page knows besides its own data: its title and navigation section, who is looking (name and
 * role), the CSRF token its forms carry, and one notice or error to show at the top.
 */
public record Page(String title, String section, String operator, String role, String csrf, String notice,
                   String error) {

    public boolean signedIn() {
        return !operator.isEmpty();
    }

    Page withNotice(String text) {
        return new Page(title, section, operator, role, csrf, text == null ? "" : text, error);
    }

    Page withError(String text) {
        return new Page(title, section, operator, role, csrf, notice, text == null ? "" : text);
    }

    static Page anonymous(String title) {
        return new Page(title, "", "", "", "", "", "");
    }
}
