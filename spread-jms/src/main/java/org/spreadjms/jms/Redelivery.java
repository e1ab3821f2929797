package org.spreadjms.jms;

import org.spreadjms.jms.message.SpreadMessage;

/** Makes the redelivered copy of a message: JMSRedelivered set and JMSXDeliveryCount raised. */
final class Redelivery {
    private Redelivery() {
    }

    static SpreadMessage redelivered(SpreadMessage m) {
        SpreadMessage r = m.copy();
        r.setJMSRedelivered(true);
        r.setDeliveryCount(Math.max(1, m.getDeliveryCount()) + 1);
        r.setReadOnly(true, true);
        return r;
    }
}
