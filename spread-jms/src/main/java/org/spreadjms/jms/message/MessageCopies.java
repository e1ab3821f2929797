package org.spreadjms.jms.message;

/** Copies of received messages handed to consumers: read-only, and redelivered (JMSRedelivered, count raised). */
public final class MessageCopies {
    private MessageCopies() {
    }

    /** A read-only copy: each consumer gets its own instance, which it may not change. */
    public static SpreadMessage readOnly(SpreadMessage m) {
        SpreadMessage c = m.copy();
        c.setReadOnly(true, true);
        return c;
    }

    /** The redelivered copy of a message: JMSRedelivered set and JMSXDeliveryCount raised. */
    public static SpreadMessage redelivered(SpreadMessage m) {
        SpreadMessage r = m.copy();
        r.setJMSRedelivered(true);
        r.setDeliveryCount(Math.max(1, m.getDeliveryCount()) + 1);
        r.setReadOnly(true, true);
        return r;
    }
}
