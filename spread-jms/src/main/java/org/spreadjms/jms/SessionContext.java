package org.spreadjms.jms;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import jakarta.jms.JMSException;

import org.spreadjms.jms.provider.Provider;

/**
 * What a session and its consumers and producers need of their connection, fixed when the session is created, so
 * that none of them reaches back through the connection.
 *
 * @param owner        the connection, only as an identity (listener checks); never called through
 * @param settings     the connection's settings (its own copy, never changed after it connected)
 * @param delivery     the settings of delivery inside a session
 * @param send         the settings every send reads
 * @param state        started/stopped, closed, failed
 * @param provider     sends
 * @param consumers    registers consumers, and takes their acknowledgements and declines
 * @param temporaries  the connection's temporary destinations
 * @param deadLetters  the redelivery limit and dead-letter queue
 * @param timer        the connection's timer thread (delayed deliveries)
 * @param openSessions how many sessions the connection has open
 * @param messageIds   message ids unique to the connection
 * @param sessionClosed told when a session of the connection closed
 * @param problems     tells the connection's ExceptionListener of trouble that does not end it (asynchronously)
 * @param clientId     the connection's client id (fixed once connected), or null
 */
record SessionContext(Object owner, SpreadJmsSettings settings, DeliverySettings delivery, SendSettings send,
                      ConnectionState state,
                      Provider provider, ConnectionConsumers consumers, TemporaryDestinations temporaries,
                      DeadLetters deadLetters, ScheduledExecutorService timer, IntSupplier openSessions,
                      MessageIds messageIds, Consumer<SpreadSession> sessionClosed,
                      Consumer<JMSException> problems, String clientId) {

    /** Message ids unique to a connection. */
    @FunctionalInterface
    interface MessageIds {
        String next();
    }
}
