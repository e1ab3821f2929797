package org.spreadjms.jms.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.jms.JMSException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.MembershipMessage;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.jms.destination.DestinationNames;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.destination.SpreadTopic;
import org.spreadjms.jms.message.SpreadMapMessage;

/**
 * Membership advisories. A consumer on the topic {@code Spread.Membership.<name>} receives a MapMessage for every
 * membership change of the Spread group that destination {@code <name>} maps to (a topic name, or a raw group name).
 * Spread tells membership only to members, so the advisory consumer's connection joins that group (and appears in
 * its member list).
 *
 * <table>
 * <caption>advisory MapMessage entries</caption>
 * <tr><td>reason</td><td>String: JOIN, LEAVE, DISCONNECT, NETWORK, TRANSITIONAL (SELF_LEAVE is not published)</td></tr>
 * <tr><td>group</td><td>String: the Spread group</td></tr>
 * <tr><td>destination</td><td>String: the advised destination name</td></tr>
 * <tr><td>groupId</td><td>String: the view id</td></tr>
 * <tr><td>members</td><td>String: member private groups, comma-separated</td></tr>
 * <tr><td>memberCount</td><td>int</td></tr>
 * <tr><td>changedMembers</td><td>String: the members that caused the change, comma-separated</td></tr>
 * </table>
 */
public final class Advisories {
    public static final String PREFIX = "Spread.Membership.";
    private static final Logger LOG = LoggerFactory.getLogger(Advisories.class);

    private final ConsumerSink sink;
    private final Map<String, List<ConsumerRegistration>> byGroup = new ConcurrentHashMap<>();

    Advisories(ConsumerSink sink) {
        this.sink = sink;
    }

    public static boolean isAdvisory(SpreadDestination d) {
        return d.kind() == SpreadDestination.Kind.TOPIC && d.getName().startsWith(PREFIX)
                && d.getName().length() > PREFIX.length();
    }

    static String advised(SpreadDestination d) {
        return d.getName().substring(PREFIX.length());
    }

    static String groupOf(SpreadDestination d) {
        try {
            return DestinationNames.groupFor(advised(d));
        } catch (JMSException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    void add(ConsumerRegistration c) {
        byGroup.computeIfAbsent(groupOf(c.destination()), g -> new CopyOnWriteArrayList<>()).add(c);
    }

    boolean remove(ConsumerRegistration c) {
        List<ConsumerRegistration> l = byGroup.get(groupOf(c.destination()));
        return l != null && l.remove(c);
    }

    void publish(MembershipMessage mm) {
        List<ConsumerRegistration> cs = byGroup.get(mm.group());
        if (cs == null || cs.isEmpty() || mm.reason() == MembershipReason.SELF_LEAVE) {
            return;
        }
        for (ConsumerRegistration c : cs) {
            try {
                SpreadMapMessage m = toMapMessage(mm, c.destination());
                if (c.accepts(m, null)) {
                    sink.deliver(c.id(), m);
                }
            } catch (JMSException e) {
                LOG.warn("could not build the membership advisory for {}", mm, e);
            }
        }
    }

    static SpreadMapMessage toMapMessage(MembershipMessage mm, SpreadDestination advisoryTopic)
            throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setString("reason", mm.reason().name());
        m.setString("group", mm.group());
        m.setString("destination", advised(advisoryTopic));
        m.setString("groupId", mm.groupId() == null ? null : mm.groupId().toString());
        m.setString("members", String.join(",", mm.members()));
        m.setInt("memberCount", mm.members().size());
        m.setString("changedMembers", String.join(",", mm.changedMembers()));
        m.setJMSDestination(advisoryTopic instanceof SpreadTopic ? advisoryTopic : null);
        m.setJMSTimestamp(System.currentTimeMillis());
        m.setJMSType("SpreadMembership");
        m.setReadOnly(true, true);
        return m;
    }
}
