package org.spreadjms.client.wire;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.spreadjms.client.membership.GroupId;

/**
 * Body of a regular membership message, all integers in the daemon's byte order.
 *
 * <pre>
 *  0          4          8          12            16                    20
 *  +----------+----------+----------+-------------+---------------------+------------------------------+
 *  | proc_id  | time     | index    | num_vs_sets | local_vs_set_offset | vs sets: count n, n x 32 ... |
 *  +----------+----------+----------+-------------+---------------------+------------------------------+
 * </pre>
 *
 * {@code local_vs_set_offset} counts bytes from body offset 20 to the count word of the receiver's own set. A
 * transitional message's body is the 12-byte group id alone.
 *
 * @param localSet index in {@code vsSets} of the set that concerns the receiver
 */
public record MembershipBody(GroupId groupId, List<List<String>> vsSets, int localSet) {
    public static final int GROUP_ID_BYTES = 12;
    public static final int VS_SETS_OFFSET = 20;

    public MembershipBody {
        vsSets = vsSets.stream().map(List::copyOf).toList();
    }

    /** Reads a 12-byte group id. */
    public static GroupId readGroupId(byte[] b, int offset, int length, ByteOrder order)
            throws MalformedFrameException {
        if (length < GROUP_ID_BYTES) {
            throw new MalformedFrameException("membership body of " + length + " bytes has no group id");
        }
        return new GroupId(Ints.get(b, offset, order), Ints.get(b, offset + 4, order), Ints.get(b, offset + 8, order));
    }

    /** Decodes a regular membership body, checking every count against the body length. */
    public static MembershipBody decode(byte[] b, int offset, int length, ByteOrder order)
            throws MalformedFrameException {
        GroupId gid = readGroupId(b, offset, length, order);
        if (length < VS_SETS_OFFSET) {
            throw new MalformedFrameException("membership body of " + length + " bytes has no vs-set header");
        }
        long numSets = Integer.toUnsignedLong(Ints.get(b, offset + 12, order));
        long localOffset = Integer.toUnsignedLong(Ints.get(b, offset + 16, order));
        List<List<String>> sets = new ArrayList<>();
        int local = -1;
        int p = VS_SETS_OFFSET;
        for (long s = 0; s < numSets; s++) {
            if (p + 4 > length) {
                throw new MalformedFrameException("membership body ends inside vs set " + s);
            }
            if (p - VS_SETS_OFFSET == localOffset) {
                local = (int) s;
            }
            long n = Integer.toUnsignedLong(Ints.get(b, offset + p, order));
            p += 4;
            if (n * GroupNames.SLOT_BYTES > length - p) {
                throw new MalformedFrameException("vs set " + s + " claims " + n + " members, more than the body holds");
            }
            List<String> members = new ArrayList<>((int) n);
            for (int i = 0; i < n; i++) {
                members.add(GroupNames.fromSlot(b, offset + p));
                p += GroupNames.SLOT_BYTES;
            }
            sets.add(members);
        }
        if (numSets > 0 && local < 0) {
            throw new MalformedFrameException("local_vs_set_offset " + localOffset + " does not start a vs set");
        }
        return new MembershipBody(gid, sets, local);
    }

    /** Bytes {@link #encode} writes. */
    public int encodedLength() {
        int n = VS_SETS_OFFSET;
        for (List<String> set : vsSets) {
            n += 4 + set.size() * GroupNames.SLOT_BYTES;
        }
        return n;
    }

    /** Writes the body in the given order. */
    public byte[] encode(ByteOrder order) {
        byte[] b = new byte[encodedLength()];
        Ints.put(b, 0, groupId.procId(), order);
        Ints.put(b, 4, groupId.time(), order);
        Ints.put(b, 8, groupId.index(), order);
        Ints.put(b, 12, vsSets.size(), order);
        int p = VS_SETS_OFFSET;
        int localOffset = 0;
        for (int s = 0; s < vsSets.size(); s++) {
            if (s == localSet) {
                localOffset = p - VS_SETS_OFFSET;
            }
            List<String> set = vsSets.get(s);
            Ints.put(b, p, set.size(), order);
            p += 4;
            for (String m : set) {
                FrameEncoder.writeSlot(b, p, GroupNames.toSlot(m));
                p += GroupNames.SLOT_BYTES;
            }
        }
        Ints.put(b, 16, localOffset, order);
        return b;
    }

    /** The receiver's own virtual-synchrony set (empty if there are no sets). */
    public List<String> localVsSet() {
        return localSet < 0 ? List.of() : vsSets.get(localSet);
    }

    /** Encodes a 12-byte group id (the body of a transitional message). */
    public static byte[] encodeGroupId(GroupId gid, ByteOrder order) {
        byte[] b = new byte[GROUP_ID_BYTES];
        Ints.put(b, 0, gid.procId(), order);
        Ints.put(b, 4, gid.time(), order);
        Ints.put(b, 8, gid.index(), order);
        return b;
    }
}
