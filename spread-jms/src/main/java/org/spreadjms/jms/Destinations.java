package org.spreadjms.jms;

import java.util.Map;
import java.util.Set;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.destination.SpreadTopic;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * Destination look-up and the per-destination options the provider understands, given after a {@code ?} in the
 * name, e.g. {@code orders?persistentServiceType=AGREED} or {@code legacy?raw=true&messType=7}.
 *
 * <table>
 * <caption>destination options</caption>
 * <tr><td>serviceType</td><td>service type for every message to this destination</td></tr>
 * <tr><td>persistentServiceType</td><td>service type of PERSISTENT messages</td></tr>
 * <tr><td>nonPersistentServiceType</td><td>service type of NON_PERSISTENT messages</td></tr>
 * <tr><td>raw</td><td>true: send only the body bytes, no JMS envelope, for plain Spread programs</td></tr>
 * <tr><td>messType</td><td>the Spread 16-bit message type of raw messages (default 0)</td></tr>
 * </table>
 */
final class Destinations {
    static final Set<String> OPTIONS = Set.of("serviceType", "persistentServiceType", "nonPersistentServiceType",
            "raw", "messType");

    private Destinations() {
    }

    static SpreadDestination resolve(Destination d) throws JMSException {
        if (d == null) {
            throw new InvalidDestinationException("destination is null");
        }
        SpreadDestination s = SpreadDestination.from(d);
        checkOptions(s);
        return s;
    }

    static SpreadQueue queue(String name) throws JMSException {
        SpreadQueue q = new SpreadQueue(name);
        checkOptions(q);
        return q;
    }

    static SpreadTopic topic(String name) throws JMSException {
        SpreadTopic t = new SpreadTopic(name);
        checkOptions(t);
        return t;
    }

    private static void checkOptions(SpreadDestination d) throws InvalidDestinationException {
        for (Map.Entry<String, String> e : d.options().entrySet()) {
            if (!OPTIONS.contains(e.getKey())) {
                throw new InvalidDestinationException("unknown destination option '" + e.getKey() + "' on " + d
                        + "; known: " + OPTIONS);
            }
            try {
                switch (e.getKey()) {
                    case "serviceType", "persistentServiceType", "nonPersistentServiceType" ->
                            SpreadJmsSettings.serviceType(e.getValue());
                    case "raw" -> {
                        if (!e.getValue().equals("true") && !e.getValue().equals("false")) {
                            throw new IllegalArgumentException("raw must be true or false");
                        }
                    }
                    case "messType" -> {
                        int v = Integer.parseInt(e.getValue());
                        if (v < Short.MIN_VALUE || v > 0xFFFF) {
                            throw new IllegalArgumentException("messType must fit in 16 bits");
                        }
                    }
                    default -> {
                    }
                }
            } catch (IllegalArgumentException ex) {
                throw JmsErrors.invalidDestination("destination option " + e.getKey() + "=" + e.getValue() + " on "
                        + d + " is invalid: " + ex.getMessage(), ex);
            }
        }
    }

    /** The service type for a message of {@code deliveryMode} to {@code d}. */
    static ServiceType serviceType(SpreadDestination d, boolean persistent, SpreadJmsSettings settings) {
        return serviceType(d, persistent, SendSettings.of(settings));
    }

    /** The service type of a message to {@code d}: the destination's option, else the connection's. */
    static ServiceType serviceType(SpreadDestination d, boolean persistent, SendSettings settings) {
        Map<String, String> o = d.options();
        if (o.isEmpty()) {
            return settings.serviceType(persistent);
        }
        String v = o.get("serviceType");
        if (v == null) {
            v = o.get(persistent ? "persistentServiceType" : "nonPersistentServiceType");
        }
        if (v != null) {
            return SpreadJmsSettings.serviceType(v);
        }
        return settings.serviceType(persistent);
    }

    static boolean raw(SpreadDestination d) {
        return "true".equals(d.options().get("raw"));
    }

    static short rawMessType(SpreadDestination d) {
        String v = d.options().get("messType");
        return v == null ? 0 : (short) Integer.parseInt(v);
    }
}
