package org.spreadjms.daemon;

import java.util.Set;

/** Who a session is: an authenticated user with its roles, or anonymous ({@code user} null). */
record Principal(String user, Set<String> roles) {
    static final Principal ANONYMOUS = new Principal(null, Set.of());

    boolean anonymous() {
        return user == null;
    }

    @Override
    public String toString() {
        return user == null ? "anonymous" : "user '" + user + "'";
    }
}
