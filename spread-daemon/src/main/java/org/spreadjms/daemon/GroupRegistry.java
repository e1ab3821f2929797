package org.spreadjms.daemon;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.spreadjms.client.membership.GroupId;

/**
 * The daemon's groups. A group exists while it has members; its id is the daemon's membership id (procId, time) and
 * an index that starts at 1 with the join that creates the group and grows by one with every join, leave or
 * disconnect. Members are kept sorted byte-wise by private group name, the order membership messages list them in.
 * Used only by the selector thread.
 */
final class GroupRegistry {
    /** One group and its members. */
    static final class Group {
        final String name;
        /** Members by private group name; ISO-8859-1 strings compare like unsigned bytes. */
        final TreeMap<String, Session> members = new TreeMap<>();
        int index;

        Group(String name) {
            this.name = name;
        }

        Collection<Session> members() {
            return members.values();
        }
    }

    private final Map<String, Group> groups = new HashMap<>();
    private final int procId;
    private final int time;

    GroupRegistry(int procId, int time) {
        this.procId = procId;
        this.time = time;
    }

    int size() {
        return groups.size();
    }

    Group get(String name) {
        return groups.get(name);
    }

    GroupId idOf(Group g) {
        return new GroupId(procId, time, g.index);
    }

    /**
     * Adds a member, creating the group if needed.
     *
     * @return the group, or null if the session was already a member (a duplicate join changes nothing)
     */
    Group join(String name, Session s) {
        Group g = groups.computeIfAbsent(name, Group::new);
        if (g.members.putIfAbsent(s.privateGroup, s) != null) {
            return null;
        }
        g.index++;
        s.groups.add(name);
        return g;
    }

    /**
     * Removes a member.
     *
     * @return true if members remain (the index grew and they must be told); false if the group is gone
     */
    boolean remove(Group g, Session s) {
        g.members.remove(s.privateGroup);
        s.groups.remove(g.name);
        if (g.members.isEmpty()) {
            groups.remove(g.name);
            return false;
        }
        g.index++;
        return true;
    }

    boolean isMember(Group g, Session s) {
        return g.members.get(s.privateGroup) == s;
    }
}
