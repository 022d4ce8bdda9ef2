package io.palisade.control.http;

import io.palisade.core.operator.Permission;

/** Test access to the package-private {@link RoleMatrix}. */
public final class RoleMatrixAccess {

    private RoleMatrixAccess() {
    }

    public static Permission required(String method, String path) {
        return RoleMatrix.required(method, path);
    }
}
