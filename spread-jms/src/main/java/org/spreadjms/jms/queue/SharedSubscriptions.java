package org.spreadjms.jms.queue;

import jakarta.jms.JMSException;

import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;

/**
 * JMS 2.0 shared (non-durable) subscriptions. The consumers of subscription {@code S} on topic {@code T} receive the
 * topic's group and also join the Spread group {@code s~T~S} (mapped like any destination name when too long). That
 * group's view, the same at every member, decides with {@link QueueAssignment} which connection takes each message,
 * so each message reaches one consumer of the subscription.
 */
public final class SharedSubscriptions {
    private SharedSubscriptions() {
    }

    public static String key(SpreadDestination topic, String name) {
        return key(topic.getName(), name);
    }

    public static String key(String topic, String name) {
        return "shared:" + topic + ":" + name;
    }

    public static String groupOf(SpreadDestination topic, String name) {
        return groupOf(topic.getName(), name);
    }

    public static String groupOf(String topic, String name) {
        try {
            return DestinationNames.groupFor("s~" + topic + "~" + name);
        } catch (JMSException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
