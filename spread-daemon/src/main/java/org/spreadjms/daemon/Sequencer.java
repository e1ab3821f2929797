package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.membership.MembershipReason;
import org.spreadjms.client.wire.FrameEncoder;
import org.spreadjms.client.wire.GroupNames;
import org.spreadjms.client.wire.RawFrame;

/**
 * Applies validated frames in the one order in which the selector thread read them: routes data messages, applies
 * joins, leaves and kills, and queues the membership messages they cause. Because there is only this one order, every
 * receiver sees the same sequence (AGREED/SAFE), each sender's messages stay in sending order (FIFO), and membership
 * changes fall between the same messages at every member (virtual synchrony).
 */
final class Sequencer {
    /** Where frames go. Delivery may cut a slow target off; the sequencer never blocks. */
    interface Outbox {
        /** Queues a frame for an open session (does nothing for a closed one). */
        void deliver(Session target, byte[] frame);

        /** Closes a session at once, dropping its queue; its disconnect is processed after the current frame. */
        void kill(Session s);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);

    private final String daemonName;
    private final GroupRegistry groups;
    private final SessionDirectory directory;
    private final Outbox outbox;
    private final DaemonStats stats;
    private final List<Session> targets = new ArrayList<>();
    private long routeSeq;

    Sequencer(String daemonName, GroupRegistry groups, SessionDirectory directory, Outbox outbox, DaemonStats stats) {
        this.daemonName = daemonName;
        this.groups = groups;
        this.directory = directory;
        this.outbox = outbox;
        this.stats = stats;
    }

    /** Applies one validated frame from an open session. */
    void process(Session from, RawFrame f) {
        int type = f.type();
        if ((type & SpreadConstants.REGULAR_MESS) != 0) {
            route(from, f);
        } else if ((type & SpreadConstants.JOIN_MESS) != 0) {
            join(from, f.group(0));
        } else if ((type & SpreadConstants.LEAVE_MESS) != 0) {
            leave(from, f.group(0));
        } else {
            LOG.debug("{} sent KILL", from);
            outbox.kill(from);
        }
    }

    private void route(Session from, RawFrame f) {
        stats.messagesIn++;
        long mark = ++routeSeq;
        targets.clear();
        for (int i = 0; i < f.numGroups(); i++) {
            String dest = f.group(i);
            if (!dest.isEmpty() && dest.charAt(0) == '#') {
                addTarget(privateGroupTarget(dest), mark);
            } else {
                GroupRegistry.Group g = groups.get(dest);
                if (g != null) {
                    for (Session member : g.members()) {
                        addTarget(member, mark);
                    }
                }
            }
        }
        if ((f.type() & SpreadConstants.SELF_DISCARD) != 0) {
            targets.remove(from);
        }
        if (targets.isEmpty()) {
            return;
        }
        byte[] relay = FrameEncoder.relayCopy(f);
        for (Session t : targets) {
            outbox.deliver(t, relay);
        }
        targets.clear();
    }

    private void addTarget(Session s, long mark) {
        if (s != null && s.routeMark != mark && s.isOpen()) {
            s.routeMark = mark;
            targets.add(s);
        }
    }

    /** The session a private group name {@code #name#daemon} designates, or null. */
    private Session privateGroupTarget(String dest) {
        int second = dest.indexOf('#', 1);
        if (second < 0 || !dest.regionMatches(second + 1, daemonName, 0, daemonName.length())
                || dest.length() - second - 1 != daemonName.length()) {
            return null;
        }
        return directory.openSession(dest.substring(1, second));
    }

    private void join(Session s, String name) {
        GroupRegistry.Group g = groups.join(name, s);
        if (g == null) {
            return;
        }
        if (g.index == 1) {
            LOG.debug("group '{}' created", name);
        }
        LOG.debug("{} joined '{}'", s, name);
        notifyMembers(g, MembershipReason.JOIN, s);
    }

    private void leave(Session s, String name) {
        GroupRegistry.Group g = groups.get(name);
        if (g == null || !groups.isMember(g, s)) {
            return;
        }
        if (s.wantsMembership) {
            outbox.deliver(s, MembershipFrames.selfLeave(name));
        }
        LOG.debug("{} left '{}'", s, name);
        removeMember(g, s, MembershipReason.LEAVE);
    }

    /** Takes a closed session out of all its groups, in group-name order, telling the remaining members. */
    void disconnect(Session s) {
        for (String name : new ArrayList<>(s.groups)) {
            removeMember(groups.get(name), s, MembershipReason.DISCONNECT);
        }
    }

    private void removeMember(GroupRegistry.Group g, Session s, MembershipReason reason) {
        if (groups.remove(g, s)) {
            notifyMembers(g, reason, s);
        } else {
            LOG.debug("group '{}' deleted", g.name);
        }
    }

    private void notifyMembers(GroupRegistry.Group g, MembershipReason reason, Session changed) {
        byte[] frame = null;
        for (Session member : g.members()) {
            if (member.wantsMembership && member.isOpen()) {
                if (frame == null) {
                    frame = MembershipFrames.regular(reason, g, groups.idOf(g), changed.privateGroup);
                }
                outbox.deliver(member, frame);
            }
        }
    }

    /** For log messages: the destination names of a frame. */
    static String describe(RawFrame f) {
        StringBuilder sb = new StringBuilder(f.toString());
        if (f.numGroups() > 0) {
            sb.append(" to ").append(GroupNames.fromSlot(f.bytes(), f.groupsOffset()));
            if (f.numGroups() > 1) {
                sb.append(" +").append(f.numGroups() - 1);
            }
        }
        return sb.toString();
    }
}
