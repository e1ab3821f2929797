package org.spreadjms.camel;

import jakarta.jms.Session;

/** JMS acknowledgement modes of a non-transacted consumer, with their JMS session mode values. */
public enum SpreadAcknowledgementMode {
    AUTO_ACKNOWLEDGE(Session.AUTO_ACKNOWLEDGE),
    CLIENT_ACKNOWLEDGE(Session.CLIENT_ACKNOWLEDGE),
    DUPS_OK_ACKNOWLEDGE(Session.DUPS_OK_ACKNOWLEDGE);

    private final int sessionMode;

    SpreadAcknowledgementMode(int sessionMode) {
        this.sessionMode = sessionMode;
    }

    /** The value for {@code Connection.createSession(int)}. */
    public int sessionMode() {
        return sessionMode;
    }
}
