package org.spreadjms.jms.store;

/** Bytes from the network that are not a valid store frame; the message says what is wrong and where. */
public final class MalformedStoreFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedStoreFrameException(String message) {
        super(message);
    }
}
