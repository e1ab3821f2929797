package org.spreadjms.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * PERSISTENT sends to a topic on a connection of its own (with the {@code storeAcks} the URI asks for), counting what
 * returned and what failed. Used from one thread at a time.
 */
final class PersistentTopicProducer implements AutoCloseable {
    final Connection connection;
    final Session session;
    final MessageProducer producer;
    final List<String> returned = new ArrayList<>();
    final List<String> failed = new ArrayList<>();
    JMSException firstFailure;

    PersistentTopicProducer(String uri, String topic) throws JMSException {
        connection = new SpreadConnectionFactory(uri).createConnection();
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createTopic(topic));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    }

    /** Sends {@code text}; true if the send returned (the message is on disk at a store member). */
    synchronized boolean send(String text) throws JMSException {
        try {
            producer.send(session.createTextMessage(text));
            returned.add(text);
            return true;
        } catch (JMSException e) {
            failed.add(text);
            if (firstFailure == null) {
                firstFailure = e;
            }
            return false;
        }
    }

    synchronized int returnedCount() {
        return returned.size();
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
