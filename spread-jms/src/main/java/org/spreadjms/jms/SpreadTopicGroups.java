package org.spreadjms.jms;

import jakarta.jms.JMSException;

import org.spreadjms.jms.destination.DestinationNames;

/** The Spread group of a topic name already in use (so known to be valid). */
final class SpreadTopicGroups {
    private SpreadTopicGroups() {
    }

    static String groupOf(String topic) {
        try {
            return DestinationNames.groupFor(topic);
        } catch (JMSException e) {
            throw new IllegalStateException("topic '" + topic + "' became invalid", e);
        }
    }
}
