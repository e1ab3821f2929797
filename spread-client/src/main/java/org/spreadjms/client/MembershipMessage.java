package org.spreadjms.client;

import java.util.List;

import org.spreadjms.client.membership.GroupId;
import org.spreadjms.client.membership.GroupView;
import org.spreadjms.client.membership.MembershipReason;

/**
 * A membership message of one group.
 *
 * <ul>
 *   <li>{@link #members()}: members after the change (empty for transitional and self-leave messages).</li>
 *   <li>{@link #changedMembers()}: the members that caused the change: the one that joined, left or disconnected;
 *       for a network change, the members outside this receiver's virtual-synchrony set.</li>
 *   <li>{@link #virtualSynchronySets()}: the sets of members that moved together; {@link #localVirtualSynchronySet()}
 *       the one this receiver belongs to.</li>
 *   <li>{@link #groupId()}: the new view's id; for a transitional message the id before the coming change; null for
 *       a self-leave.</li>
 * </ul>
 */
public final class MembershipMessage implements ReceivedMessage {
    private final int serviceTypeWord;
    private final MembershipReason reason;
    private final String group;
    private final GroupId groupId;
    private final List<String> members;
    private final List<List<String>> vsSets;
    private final int localVsSet;
    private final int ownIndex;

    public MembershipMessage(int serviceTypeWord, MembershipReason reason, String group, GroupId groupId,
                             List<String> members, List<List<String>> vsSets, int localVsSet, int ownIndex) {
        this.serviceTypeWord = serviceTypeWord;
        this.reason = reason;
        this.group = group;
        this.groupId = groupId;
        this.members = List.copyOf(members);
        this.vsSets = vsSets.stream().map(List::copyOf).toList();
        this.localVsSet = localVsSet;
        this.ownIndex = ownIndex;
    }

    @Override
    public int serviceTypeWord() {
        return serviceTypeWord;
    }

    public MembershipReason reason() {
        return reason;
    }

    /** Whether this is a regular membership (a new view), rather than a transitional or self-leave notice. */
    public boolean isRegular() {
        return (serviceTypeWord & SpreadConstants.REG_MEMB_MESS) != 0;
    }

    public String group() {
        return group;
    }

    public GroupId groupId() {
        return groupId;
    }

    public List<String> members() {
        return members;
    }

    public List<List<String>> virtualSynchronySets() {
        return vsSets;
    }

    public List<String> localVirtualSynchronySet() {
        return localVsSet < 0 ? List.of() : vsSets.get(localVsSet);
    }

    /** The members that caused the change. */
    public List<String> changedMembers() {
        return switch (reason) {
            case JOIN, LEAVE, DISCONNECT -> vsSets.isEmpty() ? List.of() : vsSets.get(0);
            case NETWORK -> {
                List<String> local = localVirtualSynchronySet();
                yield members.stream().filter(m -> !local.contains(m)).toList();
            }
            case TRANSITIONAL, SELF_LEAVE -> List.of();
        };
    }

    /**
     * The message type the C library reports: this receiver's index in {@link #members()} for a regular membership,
     * -1 for transitional and self-leave messages.
     */
    public int messType() {
        return ownIndex;
    }

    /** The view this message establishes (only for regular memberships). */
    public GroupView view() {
        return isRegular() ? new GroupView(group, groupId, members) : null;
    }

    @Override
    public int sizeBytes() {
        return 128 + 48 * members.size();
    }

    @Override
    public String toString() {
        return "MembershipMessage[" + reason + " " + group + " id=" + groupId + " members=" + members + " changed="
                + changedMembers() + "]";
    }
}
