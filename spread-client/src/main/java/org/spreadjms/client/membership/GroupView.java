package org.spreadjms.client.membership;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable view of a group: its id and members (private group names, in the daemon's order). Differences
 * between views are computed, not stored.
 */
public record GroupView(String group, GroupId id, List<String> members) {
    public GroupView {
        members = List.copyOf(members);
    }

    public boolean contains(String member) {
        return members.contains(member);
    }

    /** Members of this view that are not in {@code previous} (all members if there is none). */
    public List<String> newMembers(GroupView previous) {
        List<String> out = new ArrayList<>();
        for (String m : members) {
            if (previous == null || !previous.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Members of {@code previous} that are not in this view. */
    public List<String> leftMembers(GroupView previous) {
        List<String> out = new ArrayList<>();
        if (previous != null) {
            for (String m : previous.members) {
                if (!contains(m)) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
