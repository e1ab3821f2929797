package org.spreadjms.client;

import org.spreadjms.client.wire.AuthMessages;
import org.spreadjms.client.wire.Handshake;

/** How the client authenticates in the handshake; {@link #wireName()} is the name in the daemon's list. */
public enum AuthMethod {
    /**
     * Decide from the daemon's list: with a password SCRAM-SHA-256 if listed, else PWORD, else NULL (a daemon that
     * authenticates nobody ignores credentials, as brokers without security do); without a password NULL.
     */
    AUTO(null),
    /** No authentication (Spread's default method). */
    NULL(Handshake.NULL_METHOD),
    /** Spread 4's {@code auth-pword}: user and at most 8 bytes of password in clear text. */
    PWORD(AuthMessages.PWORD_METHOD),
    /** Challenge-response: the password never crosses the network, and the daemon proves it knows the user. */
    SCRAM_SHA_256(AuthMessages.SCRAM_METHOD);

    private final String wireName;

    AuthMethod(String wireName) {
        this.wireName = wireName;
    }

    /** The method's name in the auth list and choice; null for {@link #AUTO}. */
    public String wireName() {
        return wireName;
    }
}
