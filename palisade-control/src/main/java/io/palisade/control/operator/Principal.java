package io.palisade.control.operator;

import io.palisade.core.operator.Role;

/** Who made an API request: an operator, or the bootstrap admin token ({@link #BOOTSTRAP}). */
public record Principal(String name, Role role) {

    /** The data directory's admin token: the rotatable bootstrap credential, with the admin role. */
    public static final Principal BOOTSTRAP = new Principal("admin-token", Role.ADMIN);
}
