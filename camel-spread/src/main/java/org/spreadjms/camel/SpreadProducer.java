package org.spreadjms.camel;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;
import org.spreadjms.client.ServiceType;

/**
 * Sends exchanges to the endpoint's destination. InOnly exchanges are sent and done; InOut exchanges are sent with a
 * JMSReplyTo and complete asynchronously when {@link SpreadReplies} sees the correlated reply or the timeout.
 *
 * <p>JMS sessions are single-threaded, so each concurrent send borrows a session (and its producer) from a pool that
 * grows to the number of threads sending at once.
 */
public class SpreadProducer extends DefaultAsyncProducer {
    private record Sender(Session session, MessageProducer producer, Destination destination) {
    }

    private final SpreadEndpoint endpoint;
    private final Deque<Sender> idle = new ConcurrentLinkedDeque<>();
    private volatile Connection connection;
    private SpreadReplies replies;

    public SpreadProducer(SpreadEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public SpreadEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.acquireConnection();
    }

    @Override
    protected void doStop() throws Exception {
        SpreadReplies r;
        synchronized (this) {
            r = replies;
            replies = null;
        }
        try {
            if (r != null) {
                r.close();
            }
            for (Sender s; (s = idle.poll()) != null; ) {
                s.session().close();
            }
        } finally {
            connection = null;
            endpoint.releaseConnection();
            super.doStop();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Sender sender = null;
        try {
            sender = borrow();
            org.apache.camel.Message in = exchange.getIn();
            Message jms = endpoint.converter().toJms(in, sender.session());
            Destination destination = destinationFor(in, sender);
            int mode = endpoint.getConfiguration().isDeliveryPersistent() ? DeliveryMode.PERSISTENT
                    : DeliveryMode.NON_PERSISTENT;
            if (!exchange.getPattern().isOutCapable()) {
                sender.producer().send(destination, jms, mode, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
                in.setHeader("JMSMessageID", jms.getJMSMessageID());
                callback.done(true);
                return true;
            }
            long timeout = in.getHeader(SpreadConstants.SPREAD_REQUEST_TIMEOUT,
                    endpoint.getConfiguration().getRequestTimeout(), Long.class);
            Sender s = sender;
            return replies().request(exchange, jms, timeout, callback,
                    m -> s.producer().send(destination, m, mode, Message.DEFAULT_PRIORITY,
                            Message.DEFAULT_TIME_TO_LIVE));
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        } finally {
            if (sender != null) {
                idle.push(sender);
            }
        }
    }

    /** The endpoint's destination, or one with the service type or raw message type a header asks for. */
    private Destination destinationFor(org.apache.camel.Message in, Sender sender) throws JMSException {
        ServiceType serviceType = in.getHeader(SpreadConstants.SPREAD_SERVICE_TYPE, ServiceType.class);
        Integer messageType = in.getHeader(SpreadConstants.SPREAD_MESSAGE_TYPE, Integer.class);
        if (serviceType == null && messageType == null) {
            return sender.destination();
        }
        SpreadConfiguration c = endpoint.getConfiguration();
        return endpoint.destination(sender.session(), serviceType != null ? serviceType : c.getServiceType(),
                messageType != null ? messageType & 0xFFFF : c.getMessageType());
    }

    private Sender borrow() throws JMSException {
        Sender s = idle.poll();
        if (s != null) {
            return s;
        }
        Connection c = connection;
        if (c == null) {
            throw new IllegalStateException("producer of " + endpoint.getEndpointUri() + " is not started");
        }
        Session session = c.createSession(Session.AUTO_ACKNOWLEDGE);
        try {
            return new Sender(session, session.createProducer(null), endpoint.destination(session));
        } catch (JMSException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private synchronized SpreadReplies replies() throws JMSException {
        if (replies == null) {
            replies = new SpreadReplies(endpoint, connection);
        }
        return replies;
    }
}
