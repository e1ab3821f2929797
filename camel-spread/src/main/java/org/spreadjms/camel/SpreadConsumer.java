package org.spreadjms.camel;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Consumes the endpoint's destination with {@code concurrentConsumers} JMS sessions, each with one listener. An
 * exchange is processed synchronously on its session's spread-jms thread, so acknowledgement, commit and rollback
 * follow its outcome; a failed exchange goes to the consumer's ExceptionHandler.
 *
 * <p>Stopping first detaches every listener (no new message starts) and then closes the sessions, which waits for
 * the exchanges in flight to finish.
 */
public class SpreadConsumer extends DefaultConsumer {
    private final SpreadEndpoint endpoint;
    private final List<Listener> listeners = new ArrayList<>();
    private Connection connection;

    public SpreadConsumer(SpreadEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
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
        SpreadConfiguration c = endpoint.getConfiguration();
        try {
            for (int i = 0; i < c.getConcurrentConsumers(); i++) {
                Session session = c.isTransacted() ? connection.createSession(Session.SESSION_TRANSACTED)
                        : connection.createSession(c.getAcknowledgementMode().sessionMode());
                Listener l = new Listener(session);
                listeners.add(l);
                l.start(endpoint.destination(session), c.getSelector(), c.isSelfDiscard());
            }
        } catch (Exception e) {
            closeAll();
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        closeAll();
        super.doStop();
    }

    private void closeAll() throws JMSException {
        try {
            for (Listener l : listeners) {
                l.detach();
            }
            for (Listener l : listeners) {
                l.session.close();
            }
        } finally {
            listeners.clear();
            if (connection != null) {
                connection = null;
                endpoint.releaseConnection();
            }
        }
    }

    /** One session and its consumer. {@link #onMessage} is called on that session's spread-jms thread. */
    private final class Listener implements MessageListener {
        private final Session session;
        private MessageConsumer consumer;
        private MessageProducer replies;

        Listener(Session session) {
            this.session = session;
        }

        void start(Destination destination, String selector, boolean noLocal) throws JMSException {
            consumer = session.createConsumer(destination, selector, noLocal);
            consumer.setMessageListener(this);
        }

        void detach() throws JMSException {
            if (consumer != null) {
                consumer.setMessageListener(null);
            }
        }

        @Override
        public void onMessage(Message message) {
            Exchange exchange = createExchange(false);
            try {
                endpoint.converter().toCamel(message, exchange.getIn());
                Destination replyTo = endpoint.getConfiguration().isDisableReplyTo() ? null
                        : message.getJMSReplyTo();
                if (replyTo != null) {
                    exchange.setPattern(ExchangePattern.InOut);
                }
                getProcessor().process(exchange);
                if (replyTo != null && !exchange.isFailed() && !exchange.isRollbackOnly()) {
                    reply(message, replyTo, exchange);
                }
                settle(message, exchange);
            } catch (Exception e) {
                exchange.setException(e);
                settleFailure(exchange);
            } finally {
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("failed to process a message from "
                            + endpoint.getEndpointUri(), exchange, exchange.getException());
                }
                releaseExchange(exchange, false);
            }
        }

        private void reply(Message request, Destination replyTo, Exchange exchange) throws Exception {
            if (replies == null) {
                replies = session.createProducer(null);
            }
            Message reply = endpoint.converter().toJms(exchange.getMessage(), session);
            String correlationId = request.getJMSCorrelationID();
            reply.setJMSCorrelationID(correlationId != null ? correlationId : request.getJMSMessageID());
            replies.send(replyTo, reply);
        }

        private void settle(Message message, Exchange exchange) throws JMSException {
            if (exchange.isFailed() || exchange.isRollbackOnly()) {
                settleFailure(exchange);
            } else if (session.getTransacted()) {
                session.commit();
            } else if (session.getAcknowledgeMode() == Session.CLIENT_ACKNOWLEDGE) {
                message.acknowledge();
            }
        }

        /** Rolls back (transacted) or recovers (client acknowledge): spread-jms then redelivers the message. */
        private void settleFailure(Exchange exchange) {
            try {
                if (session.getTransacted()) {
                    session.rollback();
                } else if (session.getAcknowledgeMode() == Session.CLIENT_ACKNOWLEDGE) {
                    session.recover();
                }
            } catch (JMSException e) {
                if (exchange.getException() == null) {
                    exchange.setException(e);
                } else {
                    exchange.getException().addSuppressed(e);
                }
            }
        }
    }
}
