package org.spreadjms.jms.queue;

import jakarta.jms.JMSException;

import org.spreadjms.jms.destination.DestinationNames;

/**
 * Durable subscriptions (docs/store-protocol.md, "Durable subscriptions"). A subscription, named by the client id
 * (empty for a shared subscription without one) and its name, has a Spread group of its own,
 * {@code st~d~<length of client id>~<client id>~<name>} (mapped like any destination name when too long; the length
 * keeps {@code a~b}+{@code c} apart from {@code a}+{@code b~c}). Store members join the topic's group and this one;
 * they keep the topic's messages that match the subscription and forward them, in the order they stored them, to
 * this group, where its consumers take each one with the queue protocol, as consumers of a queue do. Consumers of a
 * durable subscription join only this group, never the topic's.
 */
public final class DurableSubscriptions {
    /** The first characters of every durable subscription's group. */
    public static final String GROUP_PREFIX = "st~d~";

    private DurableSubscriptions() {
    }

    /** The Spread group of the subscription {@code name} of client id {@code clientId} (null: none). */
    public static String groupOf(String clientId, String name) {
        String id = clientId == null ? "" : clientId;
        try {
            return DestinationNames.groupFor(GROUP_PREFIX + id.length() + "~" + id + "~" + name);
        } catch (JMSException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Whether {@code group} is a durable subscription's group. */
    public static boolean isGroup(String group) {
        return group.startsWith(GROUP_PREFIX);
    }

    /** The competition key of the consumers of the subscription whose group is {@code group}. */
    public static String key(String group) {
        return "durable:" + group;
    }
}
