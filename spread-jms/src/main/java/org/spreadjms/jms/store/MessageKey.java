package org.spreadjms.jms.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What identifies a stored message: its sender (the private group name {@code #name#daemon} of the connection that
 * multicast it) and the message id the sender gave it (the JMSMessageID for JMS messages). Both are bounded: a
 * sender name has at most {@value #MAX_SENDER_BYTES} bytes, an id at most {@value #MAX_ID_BYTES} bytes of UTF-8.
 */
public record MessageKey(String sender, String id) {
    public static final int MAX_SENDER_BYTES = 255;
    public static final int MAX_ID_BYTES = 1024;

    public MessageKey {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(id, "id");
        int s = sender.getBytes(StandardCharsets.UTF_8).length;
        if (s == 0 || s > MAX_SENDER_BYTES) {
            throw new IllegalArgumentException("sender '" + sender + "' is " + s + " bytes (1.." + MAX_SENDER_BYTES
                    + " allowed)");
        }
        int i = id.getBytes(StandardCharsets.UTF_8).length;
        if (i == 0 || i > MAX_ID_BYTES) {
            throw new IllegalArgumentException("message id of " + i + " bytes from " + sender + " (1.." + MAX_ID_BYTES
                    + " allowed)");
        }
    }
}
