package org.spreadjms.jms.destination;

import jakarta.jms.JMSException;

/**
 * What deleting a temporary destination does; supplied by the connection that created it.
 *
 * <p>Called on the application thread that calls {@code delete()}; it may block (for example to leave a group).
 * A {@link JMSException} it throws reaches the caller of {@code delete()} unchanged.
 */
@FunctionalInterface
public interface DeleteCallback {
    void delete() throws JMSException;
}
