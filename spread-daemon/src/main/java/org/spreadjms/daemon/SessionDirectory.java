package org.spreadjms.daemon;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.spreadjms.client.SpreadConstants;

/**
 * The sessions of the segment's daemons by private group name (so a private name is unique per daemon). A name is taken when the connect request is accepted (before the auth
 * phase, as the real daemon does) and freed once the session's disconnect has been processed. Used only by the
 * selector thread.
 */
final class SessionDirectory {
    /** The real daemon's invented names: {@code r<random 0..9998>-<fd>}, cut to 9 characters. */
    private static final int INVENTED_NAME_MAX = 9;
    private static final int INVENTED_RANDOM_BOUND = 9999;

    private final Map<String, Session> byName = new HashMap<>();
    private int connections;
    private int open;
    private long inventCounter;

    /** Connections counted against the session quota: in handshake or open. */
    int connections() {
        return connections;
    }

    int openSessions() {
        return open;
    }

    void connected() {
        connections++;
    }

    /** Whether a private name is taken on a daemon (names are unique per daemon). */
    boolean nameTaken(String name, String daemonName) {
        return byName.containsKey("#" + name + "#" + daemonName);
    }

    /** Registers a session under its private group name (already checked unique). */
    void register(Session s) {
        byName.put(s.privateGroup, s);
    }

    void opened() {
        open++;
    }

    /** Forgets a connection: frees its name and its quota slot. */
    void remove(Session s, boolean wasOpen) {
        connections--;
        if (wasOpen) {
            open--;
        }
        if (s.privateGroup != null && byName.get(s.privateGroup) == s) {
            byName.remove(s.privateGroup);
        }
    }

    /** The open session with this private group name {@code #name#daemon}, or null. */
    Session openSession(String privateGroup) {
        Session s = byName.get(privateGroup);
        return s != null && s.isOpen() ? s : null;
    }

    /** Invents a name, unique on this daemon, for a client that asked for none. */
    String inventName(String daemonName) {
        while (true) {
            String candidate = "r" + ThreadLocalRandom.current().nextInt(INVENTED_RANDOM_BOUND) + "-" + ++inventCounter;
            if (candidate.length() > INVENTED_NAME_MAX) {
                candidate = candidate.substring(0, INVENTED_NAME_MAX);
            }
            if (candidate.length() <= SpreadConstants.MAX_PRIVATE_NAME && !nameTaken(candidate, daemonName)) {
                return candidate;
            }
        }
    }
}
