package org.spreadjms.jms.destination;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Topic;

/**
 * A JMS topic: a Spread group that every subscriber joins. The group name follows
 * {@link DestinationNames#groupFor(String)}.
 */
public final class SpreadTopic extends SpreadDestination implements Topic {
    private static final long serialVersionUID = 1L;

    /**
     * @param nameWithOptions the topic name, optionally followed by {@code ?key=value&...}
     * @throws InvalidDestinationException if the name is empty or the options are malformed
     */
    public SpreadTopic(String nameWithOptions) throws InvalidDestinationException {
        this(DestinationNames.split(nameWithOptions));
    }

    private SpreadTopic(DestinationNames.NameAndOptions n) throws InvalidDestinationException {
        super(n.name(), groupOf(n.name()), n.options());
    }

    private static String groupOf(String name) throws InvalidDestinationException {
        DestinationNames.checkNotReserved(name, "topic");
        return DestinationNames.groupFor(name);
    }

    @Override
    public Kind kind() {
        return Kind.TOPIC;
    }

    @Override
    public String getTopicName() {
        return getName();
    }
}
