package org.spreadjms.client.wire;

/** Bytes on the wire that do not form a legal frame; the stream is out of step and must be closed. */
public final class MalformedFrameException extends Exception {
    public MalformedFrameException(String message) {
        super(message);
    }
}
