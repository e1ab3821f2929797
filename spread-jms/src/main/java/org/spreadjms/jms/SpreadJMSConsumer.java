package org.spreadjms.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;

import org.spreadjms.jms.message.SpreadMessage;

/** The simplified API's consumer, over a {@link SpreadMessageConsumer}. */
final class SpreadJMSConsumer implements JMSConsumer {
    private final SpreadMessageConsumer consumer;

    SpreadJMSConsumer(SpreadMessageConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return SpreadJMSContext.call(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return SpreadJMSContext.call(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        SpreadJMSContext.run(() -> consumer.setMessageListener(listener));
    }

    @Override
    public Message receive() {
        return SpreadJMSContext.call(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return SpreadJMSContext.call(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return SpreadJMSContext.call(consumer::receiveNoWait);
    }

    @Override
    public void close() {
        SpreadJMSContext.run(consumer::close);
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(receive(), c);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(receive(timeout), c);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(receiveNoWait(), c);
    }

    /**
     * The body of a received message. A body of the wrong type is a MessageFormatRuntimeException and, as the
     * specification requires, does not consume the message: in AUTO and DUPS_OK mode it is delivered again first
     * (in the other modes it stays unacknowledged, for recover or rollback).
     */
    private <T> T body(Message m, Class<T> c) {
        if (m == null) {
            return null;
        }
        try {
            if (!m.isBodyAssignableTo(c)) {
                consumer.returnUnconsumed((SpreadMessage) m);
            }
            return m.getBody(c);
        } catch (JMSException e) {
            throw new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }
}
