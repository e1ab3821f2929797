package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.client.membership.GroupId;
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
    private static final int WRITE_CACHE_LIMIT = 1024;
    private static final int MAX_REFUSAL_WARNINGS = 10;

    private final Segment segment;
    private final GroupRegistry groups;
    private final SessionDirectory directory;
    private final Outbox outbox;
    private final DaemonStats stats;
    private final List<Session> targets = new ArrayList<>();
    private long routeSeq;

    private final java.util.function.Supplier<SecurityPolicy> policy;

    Sequencer(Segment segment, GroupRegistry groups, SessionDirectory directory, Outbox outbox, DaemonStats stats,
              java.util.function.Supplier<SecurityPolicy> policy) {
        this.policy = policy;
        this.segment = segment;
        this.groups = groups;
        this.directory = directory;
        this.outbox = outbox;
        this.stats = stats;
    }

    /** Applies one validated frame from an open session. */
    void process(Session from, RawFrame f) {
        int type = f.type();
        if ((type & SpreadConstants.REGULAR_MESS) != 0) {
            if (!refusedSend(from, f)) {
                route(from, f);
            }
        } else if ((type & SpreadConstants.JOIN_MESS) != 0) {
            if (!refusedJoin(from, f)) {
                join(from, f.group(0));
            }
        } else if ((type & SpreadConstants.LEAVE_MESS) != 0) {
            leave(from, f.group(0));
        } else {
            LOG.debug("{} sent KILL", from);
            outbox.kill(from);
        }
    }

    /**
     * Access control of a join (as Spread's {@code acp_ops.join_group}): a refused join goes back to the joiner as a
     * REJECT_MESS whose old type is CAUSED_BY_JOIN; nobody else hears of it.
     */
    private boolean refusedJoin(Session from, RawFrame f) {
        SecurityPolicy p = policy.get();
        String group = f.group(0);
        if (p.allows(from.principal, AccessControlList.Right.READ, group)) {
            return false;
        }
        stats.accessRefusals++;
        logRefusal(from, "join '" + group + "'");
        int old = (f.type() & ~SpreadConstants.JOIN_MESS) | SpreadConstants.CAUSED_BY_JOIN;
        outbox.deliver(from, FrameEncoder.rejectCopy(f, old, GroupNames.toSlot(from.privateGroup),
                DaemonLimits.MAX_GROUPS_PER_MESSAGE));
        return true;
    }

    /**
     * Access control of a message (Spread's {@code acp_ops.mcast_send}): refused as a whole if any destination group
     * is not writable; private groups (point-to-point) are not checked; a reader may send queue control messages to
     * a group it is in. The sender gets the message back as a REJECT_MESS.
     */
    private boolean refusedSend(Session from, RawFrame f) {
        SecurityPolicy p = policy.get();
        if (p.acl() == null) {
            return false;
        }
        List<String> refused = null;
        for (int i = 0; i < f.numGroups(); i++) {
            String dest = f.group(i);
            if (dest.startsWith("#") || mayWrite(p, from, dest)
                    || (f.messType() == AccessControlList.QUEUE_CONTROL_MESS_TYPE && from.groups.contains(dest)
                    && p.allows(from.principal, AccessControlList.Right.READ, dest))) {
                continue;
            }
            if (refused == null) {
                refused = new ArrayList<>();
            }
            refused.add(dest);
        }
        if (refused == null) {
            return false;
        }
        stats.accessRefusals++;
        logRefusal(from, "send to " + refused);
        outbox.deliver(from, FrameEncoder.rejectCopy(f, f.type(), GroupNames.toSlot(from.privateGroup),
                DaemonLimits.MAX_GROUPS_PER_MESSAGE));
        return true;
    }

    private static void logRefusal(Session s, String what) {
        if (s.refusalWarnings < MAX_REFUSAL_WARNINGS) {
            s.refusalWarnings++;
            LOG.warn("{} ({}) may not {}: refused{}", s, s.principal, what, s.refusalWarnings == MAX_REFUSAL_WARNINGS
                    ? " (further refusals of this session are logged at DEBUG)" : "");
        } else {
            LOG.debug("{} ({}) may not {}: refused", s, s.principal, what);
        }
    }

    /** The ACL's write decision, cached per session until the policy is replaced (every message asks). */
    private static boolean mayWrite(SecurityPolicy p, Session s, String group) {
        if (s.writeCachePolicy != p || s.writeCache.size() >= WRITE_CACHE_LIMIT) {
            s.writeCache.clear();
            s.writeCachePolicy = p;
        }
        Boolean allowed = s.writeCache.get(group);
        if (allowed == null) {
            allowed = p.allows(s.principal, AccessControlList.Right.WRITE, group);
            s.writeCache.put(group, allowed);
        }
        return allowed;
    }

    private void route(Session from, RawFrame f) {
        stats.messagesIn++;
        long mark = ++routeSeq;
        targets.clear();
        for (int i = 0; i < f.numGroups(); i++) {
            String dest = f.group(i);
            if (!dest.isEmpty() && dest.charAt(0) == '#') {
                Session t = directory.openSession(dest);
                if (t != null && segment.together(from, t)) {
                    addTarget(t, mark);
                }
            } else {
                GroupRegistry.Group g = groups.get(dest);
                if (g != null) {
                    for (Session member : g.members()) {
                        if (segment.together(from, member)) {
                            addTarget(member, mark);
                        }
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

    private void join(Session s, String name) {
        GroupRegistry.Group g = groups.join(name, s);
        if (g == null) {
            return;
        }
        if (g.members.size() == 1) {
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

    /** Tells the members in the changed member's component; members elsewhere do not see it (partitioned). */
    private void notifyMembers(GroupRegistry.Group g, MembershipReason reason, Session changed) {
        int c = segment.component(changed);
        List<Session> members = groups.membersIn(g, c);
        byte[] frame = null;
        for (Session member : members) {
            if (member.wantsMembership && member.isOpen()) {
                if (frame == null) {
                    frame = MembershipFrames.regular(reason, g.name, members, groups.idOf(g, c), changed.privateGroup);
                }
                outbox.deliver(member, frame);
            }
        }
    }

    /**
     * Installs a new partition of the segment's daemons ({@code next[d]} = component of daemon d, named by its lowest
     * daemon). For every group whose view changes in a component, each member there that wants membership gets a
     * TRANSITION_MESS with its old view's id, then REG_MEMB_MESS | CAUSED_BY_NETWORK with the new members, the new id
     * (new membership id, index 1) and the virtual-synchrony sets: the members that were together before.
     */
    void network(int[] next) {
        int[] before = segment.components();
        int[] oldTimes = new int[before.length];
        for (int d = 0; d < before.length; d++) {
            oldTimes[d] = segment.time(d);
        }
        List<Runnable> sends = new ArrayList<>();
        for (GroupRegistry.Group g : groups.all()) {
            int[] oldIndex = g.index.clone();
            for (int c = 0; c < next.length; c++) {
                if (next[c] != c) {
                    continue;
                }
                List<Session> members = new ArrayList<>();
                for (Session m : g.members()) {
                    if (next[m.daemon] == c) {
                        members.add(m);
                    }
                }
                if (members.isEmpty() || !viewChanges(g, members, before, next, c)) {
                    continue;
                }
                List<Integer> oldComponents = new ArrayList<>();
                List<List<String>> vsSets = new ArrayList<>();
                for (Session m : members) {
                    int old = before[m.daemon];
                    int k = oldComponents.indexOf(old);
                    if (k < 0) {
                        oldComponents.add(old);
                        vsSets.add(new ArrayList<>());
                        k = oldComponents.size() - 1;
                    }
                    vsSets.get(k).add(m.privateGroup);
                }
                int component = c;
                sends.add(() -> {
                    g.index[component] = 1;
                    GroupId id = groups.idOf(g, component);
                    for (Session m : members) {
                        if (!m.wantsMembership || !m.isOpen()) {
                            continue;
                        }
                        int old = before[m.daemon];
                        GroupId oldId = new GroupId(segment.procId(), oldTimes[old], oldIndex[old]);
                        outbox.deliver(m, MembershipFrames.transitional(g.name, oldId));
                        outbox.deliver(m, MembershipFrames.network(g.name, members, id, vsSets,
                                oldComponents.indexOf(old)));
                    }
                });
            }
        }
        // old ids are read above; new ones need the new membership id times
        List<Runnable> deferred = List.copyOf(sends);
        segment.apply(next);
        deferred.forEach(Runnable::run);
    }

    /** Whether the members of {@code g} in new component {@code c} differ from what each of them saw before. */
    private static boolean viewChanges(GroupRegistry.Group g, List<Session> members, int[] before, int[] next,
                                       int c) {
        int firstOld = before[members.get(0).daemon];
        for (Session m : g.members()) {
            boolean inNew = next[m.daemon] == c;
            boolean inOld = before[m.daemon] == firstOld;
            if (inNew != inOld) {
                return true;
            }
        }
        for (Session m : members) {
            if (before[m.daemon] != firstOld) {
                return true;
            }
        }
        return false;
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
