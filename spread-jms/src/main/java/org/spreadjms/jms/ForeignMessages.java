package org.spreadjms.jms;

import java.util.Enumeration;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.SpreadBytesMessage;
import org.spreadjms.jms.message.SpreadMapMessage;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.message.SpreadObjectMessage;
import org.spreadjms.jms.message.SpreadPlainMessage;
import org.spreadjms.jms.message.SpreadStreamMessage;
import org.spreadjms.jms.message.SpreadTextMessage;

/** Copies a message of another JMS provider into ours, as the specification requires a provider to accept them. */
final class ForeignMessages {
    private ForeignMessages() {
    }

    static SpreadMessage toSpread(Message foreign) throws JMSException {
        SpreadMessage m = body(foreign);
        m.setJMSMessageID(foreign.getJMSMessageID());
        m.setJMSTimestamp(foreign.getJMSTimestamp());
        m.setJMSCorrelationID(foreign.getJMSCorrelationID());
        m.setJMSType(foreign.getJMSType());
        m.setJMSDeliveryMode(foreign.getJMSDeliveryMode());
        m.setJMSPriority(foreign.getJMSPriority());
        m.setJMSExpiration(foreign.getJMSExpiration());
        m.setJMSDeliveryTime(foreign.getJMSDeliveryTime());
        Destination d = foreign.getJMSDestination();
        m.setJMSDestination(d == null ? null : SpreadDestination.from(d));
        Destination r = foreign.getJMSReplyTo();
        m.setJMSReplyTo(r == null ? null : SpreadDestination.from(r));
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMSX")) {
                m.setObjectProperty(name, foreign.getObjectProperty(name));
            }
        }
        return m;
    }

    private static SpreadMessage body(Message foreign) throws JMSException {
        if (foreign instanceof TextMessage t) {
            return new SpreadTextMessage(t.getText());
        }
        if (foreign instanceof BytesMessage b) {
            b.reset();
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            SpreadBytesMessage m = new SpreadBytesMessage();
            m.writeBytes(bytes);
            return m;
        }
        if (foreign instanceof MapMessage map) {
            SpreadMapMessage m = new SpreadMapMessage();
            for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
                String name = (String) names.nextElement();
                m.setObject(name, map.getObject(name));
            }
            return m;
        }
        if (foreign instanceof ObjectMessage o) {
            SpreadObjectMessage m = new SpreadObjectMessage();
            m.setObject(o.getObject());
            return m;
        }
        if (foreign instanceof StreamMessage s) {
            s.reset();
            SpreadStreamMessage m = new SpreadStreamMessage();
            try {
                while (true) {
                    m.writeObject(s.readObject());
                }
            } catch (MessageEOFException end) {
                return m;
            }
        }
        return new SpreadPlainMessage();
    }
}
