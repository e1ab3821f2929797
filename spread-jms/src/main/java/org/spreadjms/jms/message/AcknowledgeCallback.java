package org.spreadjms.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@link jakarta.jms.Message#acknowledge()} does for a received message; set by the session that delivered it.
 *
 * <p>Called on the application thread that calls {@code acknowledge()}; it may block. A {@link JMSException} it
 * throws (for example {@code IllegalStateException} for a closed session) reaches the application unchanged.
 */
@FunctionalInterface
public interface AcknowledgeCallback {
    void acknowledge() throws JMSException;
}
