package org.spreadjms.jms.store;

/**
 * How a connection recognizes store members (spread-store's {@code StoreMember}) among the members of a group: their
 * Spread private names start with {@value #PRIVATE_NAME_PREFIX}, so their private groups start with
 * {@code #$st}. A store member joins a queue's group to see its messages, but never takes them, so the queue protocol
 * leaves store members out of the candidates of every message; and a store member does not store the messages that
 * other store members re-publish to a queue (replay). Private names are chosen by the connecting program; JMS
 * connections refuse a {@code privateNamePrefix} with this prefix.
 */
public final class StoreMembers {
    /** The first characters of every store member's private name. */
    public static final String PRIVATE_NAME_PREFIX = "$st";
    private static final String PRIVATE_GROUP_PREFIX = "#" + PRIVATE_NAME_PREFIX;

    private StoreMembers() {
    }

    /**
     * The store's presence group for control group {@code controlGroup}: every store member joins it and nobody
     * sends to it, so a connection that joins it learns from its views how many store members run.
     */
    public static String presenceGroupOf(String controlGroup) {
        return controlGroup + PRESENCE_SUFFIX;
    }

    /** Appended to the control group's name to name the presence group. */
    public static final String PRESENCE_SUFFIX = "~p";

    /** Whether a private group name {@code #name#daemon} is a store member's. */
    public static boolean isStoreMember(String privateGroup) {
        return privateGroup != null && privateGroup.startsWith(PRIVATE_GROUP_PREFIX);
    }
}
