package org.spreadjms.camel;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply side of a producer's InOut exchanges: one session consuming a temporary queue (or the endpoint's
 * {@code replyTo} queue), the exchanges waiting for replies by correlation id, and their timeouts.
 *
 * <p>A request carries the exchange's JMSCorrelationID header or a generated one; a reply matches when its
 * JMSCorrelationID is that id or the request's JMSMessageID (what plain JMS responders echo). {@link #onMessage} runs
 * on the reply session's spread-jms thread; timeouts on a Camel scheduled thread. Either completes the exchange, and
 * only the one that removes it from {@code pending} does.
 */
final class SpreadReplies implements MessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadReplies.class);

    /** Sends a request in the caller's session. */
    interface Send {
        void send(Message request) throws JMSException;
    }

    private static final class Pending {
        final Exchange exchange;
        final AsyncCallback callback;
        final String correlationId;
        volatile String messageId;
        volatile ScheduledFuture<?> timeout;

        Pending(Exchange exchange, AsyncCallback callback, String correlationId) {
            this.exchange = exchange;
            this.callback = callback;
            this.correlationId = correlationId;
        }
    }

    private final SpreadEndpoint endpoint;
    private final Session session;
    private final Destination replyTo;
    private final MessageConsumer consumer;
    private final ScheduledExecutorService timer;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Pending> byMessageId = new ConcurrentHashMap<>();

    SpreadReplies(SpreadEndpoint endpoint, Connection connection) throws JMSException {
        this.endpoint = endpoint;
        this.session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        try {
            String named = endpoint.getConfiguration().getReplyTo();
            this.replyTo = named != null ? session.createQueue(named) : session.createTemporaryQueue();
            this.consumer = session.createConsumer(replyTo);
            consumer.setMessageListener(this);
        } catch (JMSException | RuntimeException e) {
            session.close();
            throw e;
        }
        this.timer = endpoint.getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "SpreadReplyTimeout[" + endpoint.getEndpointKey() + "]");
    }

    /** Sends {@code request} and returns false: the callback is called when the reply or the timeout comes. */
    boolean request(Exchange exchange, Message request, long timeoutMillis, AsyncCallback callback, Send send)
            throws JMSException {
        String correlationId = request.getJMSCorrelationID();
        if (correlationId == null) {
            correlationId = "camel-" + UUID.randomUUID();
            request.setJMSCorrelationID(correlationId);
        }
        request.setJMSReplyTo(replyTo);
        Pending p = new Pending(exchange, callback, correlationId);
        pending.put(correlationId, p);
        p.timeout = timer.schedule(() -> timedOut(p, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            // a reply correlated by message id may come before send() returns: register it under the same lock
            synchronized (this) {
                send.send(request);
                p.messageId = request.getJMSMessageID();
                if (p.messageId != null && pending.containsKey(correlationId)) {
                    byMessageId.put(p.messageId, p);
                }
            }
        } catch (JMSException | RuntimeException e) {
            forget(p);
            throw e;
        }
        return false;
    }

    @Override
    public void onMessage(Message reply) {
        Pending p;
        try {
            String id = reply.getJMSCorrelationID();
            synchronized (this) {
                p = id == null ? null : pending.get(id);
                if (p == null && id != null) {
                    p = byMessageId.get(id);
                }
            }
            if (p == null || !forget(p)) {
                LOG.debug("reply with JMSCorrelationID {} matches no waiting exchange (late or foreign): dropped", id);
                return;
            }
        } catch (JMSException e) {
            LOG.warn("unreadable reply on {}: dropped", replyTo, e);
            return;
        }
        try {
            DefaultMessage out = new DefaultMessage(p.exchange);
            endpoint.converter().toCamel(reply, out);
            p.exchange.setMessage(out);
        } catch (JMSException | RuntimeException e) {
            p.exchange.setException(e);
        }
        p.callback.done(false);
    }

    private void timedOut(Pending p, long timeoutMillis) {
        if (forget(p)) {
            p.exchange.setException(new ExchangeTimedOutException(p.exchange, timeoutMillis,
                    "no reply on " + replyTo + " with JMSCorrelationID " + p.correlationId));
            p.callback.done(false);
        }
    }

    /** Removes a waiting exchange; true for the one caller that removed it. */
    private boolean forget(Pending p) {
        if (!pending.remove(p.correlationId, p)) {
            return false;
        }
        if (p.messageId != null) {
            byMessageId.remove(p.messageId, p);
        }
        ScheduledFuture<?> t = p.timeout;
        if (t != null) {
            t.cancel(false);
        }
        return true;
    }

    void close() throws JMSException {
        endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(timer);
        for (Pending p : pending.values()) {
            if (forget(p)) {
                p.exchange.setException(new IllegalStateException("producer of " + endpoint.getEndpointUri()
                        + " stopped before the reply came"));
                p.callback.done(false);
            }
        }
        session.close();
    }
}
