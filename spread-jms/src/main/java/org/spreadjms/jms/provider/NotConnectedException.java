package org.spreadjms.jms.provider;

import jakarta.jms.JMSException;

/** A send refused before anything was written because the Spread connection is already gone (safe to retry). */
public final class NotConnectedException extends JMSException {
    private static final long serialVersionUID = 1L;

    public NotConnectedException(String reason) {
        super(reason);
    }
}
