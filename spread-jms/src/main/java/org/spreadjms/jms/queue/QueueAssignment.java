package org.spreadjms.jms.queue;

import java.util.List;

import jakarta.jms.JMSException;

import org.spreadjms.client.membership.GroupView;
import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.SpreadMessage;

/**
 * Competing consumers on a named queue without a broker. Every connection with a consumer on queue {@code Q} joins
 * the Spread group {@code q~Q}. Virtual synchrony gives every member the same view of that group at the point of each
 * message, so each member computes the same assignee from the view's member list and the message id, and only the
 * assignee delivers it: exactly one connection takes each message while the view is stable, with no coordinator.
 * When the assignee leaves before acknowledging, {@link QueueProtocol} reassigns the message in the next view.
 */
public final class QueueAssignment {
    static final String GROUP_PREFIX = "q~";

    private QueueAssignment() {
    }

    /** Whether a queue is a named (group) queue rather than a private or temporary one. */
    public static boolean isGroupQueue(SpreadDestination d) {
        return d.kind() == SpreadDestination.Kind.QUEUE && !d.getName().startsWith("#");
    }

    /** The Spread group of a named queue. */
    public static String groupOf(SpreadDestination d) {
        try {
            return DestinationNames.groupFor(GROUP_PREFIX + d.getName());
        } catch (JMSException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The member that takes {@code m} in {@code view}, or "" when the view is unknown or empty. */
    public static String assignee(GroupView view, SpreadMessage m) {
        if (view == null || view.members().isEmpty()) {
            return "";
        }
        List<String> members = view.members();
        return members.get(Math.floorMod(mix(key(m)), members.size()));
    }

    private static String key(SpreadMessage m) {
        String id = m.getJMSMessageID();
        return id != null ? id : m.getSpreadSender() + ":" + m.getJMSTimestamp();
    }

    /** String.hashCode is the same in every JVM; mix it so consecutive ids spread evenly. */
    private static int mix(String s) {
        int h = s.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
