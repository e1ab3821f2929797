package org.spreadjms.cli;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import org.spreadjms.client.ServiceType;
import picocli.CommandLine.Option;

/**
 * Where {@code send} and {@code listen} point: exactly one of a JMS topic, a JMS queue (competing consumers), or a
 * raw Spread group (the plain client, no JMS envelope, so plain Spread programs can take part).
 */
final class Target {
    @Option(names = "--topic", paramLabel = "NAME", required = true,
            description = "a JMS topic (a Spread group; every subscriber gets each message)")
    String topic;

    @Option(names = "--queue", paramLabel = "NAME", required = true,
            description = "a JMS queue (competing consumers: each message goes to one consumer)")
    String queue;

    @Option(names = "--group", paramLabel = "NAME", required = true,
            description = "a raw Spread group through the plain client (no JMS envelope)")
    String group;

    boolean raw() {
        return group != null;
    }

    String name() {
        return topic != null ? topic : queue != null ? queue : group;
    }

    /** The JMS destination, with {@code serviceType} as a destination option when one was asked for. */
    Destination destination(Session session, ServiceType service) throws JMSException {
        String name = service == null ? name() : name() + (name().contains("?") ? "&" : "?") + "serviceType=" + service;
        return topic != null ? session.createTopic(name) : session.createQueue(name);
    }

    @Override
    public String toString() {
        return (topic != null ? "topic" : queue != null ? "queue" : "group") + " '" + name() + "'";
    }
}
