package org.spreadjms.jms.message;

/** Time-to-live and delivery-delay checks, done where messages are consumed (there is no broker to do them). */
public final class Expiry {
    private Expiry() {
    }

    public static boolean expired(SpreadMessage m) {
        long exp = m.getJMSExpiration();
        return exp != 0 && exp < System.currentTimeMillis();
    }

    /** Millis until the message may be delivered (0 or less: now). */
    public static long delayLeft(SpreadMessage m) {
        long t = m.getJMSDeliveryTime();
        return t == 0 ? 0 : t - System.currentTimeMillis();
    }
}
