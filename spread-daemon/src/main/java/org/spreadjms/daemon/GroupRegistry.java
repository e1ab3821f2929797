package org.spreadjms.daemon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.spreadjms.client.membership.GroupId;

/**
 * The segment's groups. A group exists while it has members. Each component of the segment has its own view of a
 * group: its id is the component's membership id (procId, time) and an index that starts at 1 with the join that
 * creates the view and grows by one with every join, leave or disconnect (a network change starts it again at 1).
 * Members are kept in the order membership messages list them: by daemon, then byte-wise by private group name.
 * Used only by the selector thread.
 */
final class GroupRegistry {
    /** One group and its members. */
    static final class Group {
        final String name;
        /** Members by daemon index then private group name; ISO-8859-1 strings compare like unsigned bytes. */
        final TreeMap<String, Session> members = new TreeMap<>();
        /** The view index of each component (by the component's number). */
        final int[] index;

        Group(String name, int daemons) {
            this.name = name;
            this.index = new int[daemons];
        }

        Collection<Session> members() {
            return members.values();
        }
    }

    private final Map<String, Group> groups = new HashMap<>();
    private final Segment segment;

    GroupRegistry(Segment segment) {
        this.segment = segment;
    }

    static String key(Session s) {
        return (char) s.daemon + s.privateGroup;
    }

    int size() {
        return groups.size();
    }

    Group get(String name) {
        return groups.get(name);
    }

    Collection<Group> all() {
        return new ArrayList<>(groups.values());
    }

    /** The id of the view of {@code g} in a component. */
    GroupId idOf(Group g, int component) {
        return new GroupId(segment.procId(), segment.time(component), g.index[component]);
    }

    /** The members of {@code g} in a component, in membership order. */
    List<Session> membersIn(Group g, int component) {
        List<Session> out = new ArrayList<>();
        for (Session s : g.members()) {
            if (segment.component(s) == component) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Adds a member, creating the group if needed.
     *
     * @return the group, or null if the session was already a member (a duplicate join changes nothing)
     */
    Group join(String name, Session s) {
        Group g = groups.computeIfAbsent(name, n -> new Group(n, segment.size()));
        if (g.members.putIfAbsent(key(s), s) != null) {
            return null;
        }
        int c = segment.component(s);
        if (membersIn(g, c).size() == 1) {
            g.index[c] = 0; // the view of this component starts again
        }
        g.index[c]++;
        s.groups.add(name);
        return g;
    }

    /**
     * Removes a member.
     *
     * @return true if members of its component remain (the index grew and they must be told)
     */
    boolean remove(Group g, Session s) {
        g.members.remove(key(s));
        s.groups.remove(g.name);
        if (g.members.isEmpty()) {
            groups.remove(g.name);
            return false;
        }
        int c = segment.component(s);
        if (membersIn(g, c).isEmpty()) {
            return false;
        }
        g.index[c]++;
        return true;
    }

    boolean isMember(Group g, Session s) {
        return g.members.get(key(s)) == s;
    }
}
