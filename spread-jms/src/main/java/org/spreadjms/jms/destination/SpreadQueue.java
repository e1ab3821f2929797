package org.spreadjms.jms.destination;

import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Queue;

/**
 * A JMS queue. Its Spread group follows {@link DestinationNames#queueGroupFor(String)}: a name starting with
 * {@code '#'} is a private group {@code #name#daemon} (one connection's mailbox), any other name maps like a topic
 * name.
 */
public final class SpreadQueue extends SpreadDestination implements Queue {
    private static final long serialVersionUID = 1L;

    /**
     * @param nameWithOptions the queue name, optionally followed by {@code ?key=value&...}
     * @throws InvalidDestinationException if the name is empty, starts with '#' without being a valid private group
     *                                     name, or the options are malformed
     */
    public SpreadQueue(String nameWithOptions) throws InvalidDestinationException {
        this(DestinationNames.split(nameWithOptions));
    }

    private SpreadQueue(DestinationNames.NameAndOptions n) throws InvalidDestinationException {
        super(n.name(), groupOf(n.name()), n.options());
    }

    private static String groupOf(String name) throws InvalidDestinationException {
        DestinationNames.checkNotReserved(name, "queue");
        return DestinationNames.queueGroupFor(name);
    }

    @Override
    public Kind kind() {
        return Kind.QUEUE;
    }

    @Override
    public String getQueueName() {
        return getName();
    }
}
