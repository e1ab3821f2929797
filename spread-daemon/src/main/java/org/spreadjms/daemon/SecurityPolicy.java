package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.List;

import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/**
 * One consistent view of the daemon's security settings: users (null: no user file), access control list (null:
 * everything allowed), whether anonymous (NULL) sessions are allowed, and whether PWORD is offered. Immutable; a
 * reload replaces the whole policy, so a session never sees half of an old and half of a new one.
 */
record SecurityPolicy(UserFile users, AccessControlList acl, boolean allowAnonymous, boolean pword) {
    static final SecurityPolicy OPEN = new SecurityPolicy(null, null, true, false);

    /** Methods for the auth list, best first. */
    List<String> authMethods() {
        List<String> m = new ArrayList<>();
        if (users != null) {
            m.add(AuthMessages.SCRAM_METHOD);
            if (pword) {
                m.add(AuthMessages.PWORD_METHOD);
            }
        }
        if (allowAnonymous) {
            m.add(Handshake.NULL_METHOD);
        }
        return m;
    }

    boolean offers(String method) {
        return authMethods().contains(method);
    }

    boolean allows(Principal p, AccessControlList.Right right, String name) {
        return acl == null || acl.allows(p, right, name);
    }

    UserFile.User user(String name) {
        return users == null ? null : users.user(name);
    }
}
