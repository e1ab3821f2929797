package org.spreadjms.client;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A regular message: what a member multicast, as the daemon delivered it.
 *
 * <p>{@link #groups()} is the sender's complete destination list, including groups this receiver is not in and
 * private group names. {@link #endianMismatch()} is true when the sender wrote its header in big-endian order, while
 * this client writes little-endian (the C library's meaning on x86: the hint had to be flipped). A message whose type
 * has {@link SpreadConstants#REJECT_MESS} set is one of ours that the daemon refused ({@link #rejected()}).
 */
public final class DataMessage implements ReceivedMessage {
    private final int serviceTypeWord;
    private final String sender;
    private final List<String> groups;
    private final short messType;
    private final boolean endianMismatch;
    private final byte[] data;

    public DataMessage(int serviceTypeWord, String sender, List<String> groups, short messType,
                       boolean endianMismatch, byte[] data) {
        this.serviceTypeWord = serviceTypeWord;
        this.sender = sender;
        this.groups = List.copyOf(groups);
        this.messType = messType;
        this.endianMismatch = endianMismatch;
        this.data = data;
    }

    /** The reader's constructor: {@code groups} is a freshly decoded array nobody else holds, wrapped, not copied. */
    private DataMessage(int serviceTypeWord, String sender, String[] groups, short messType, boolean endianMismatch,
                        byte[] data) {
        this.serviceTypeWord = serviceTypeWord;
        this.sender = sender;
        this.groups = groups.length == 1 ? List.of(groups[0]) : Collections.unmodifiableList(Arrays.asList(groups));
        this.messType = messType;
        this.endianMismatch = endianMismatch;
        this.data = data;
    }

    /** A message built from a freshly decoded frame. */
    static DataMessage fromFrame(int serviceTypeWord, String sender, String[] groups, short messType,
                                 boolean endianMismatch, byte[] data) {
        return new DataMessage(serviceTypeWord, sender, groups, messType, endianMismatch, data);
    }

    @Override
    public int serviceTypeWord() {
        return serviceTypeWord;
    }

    /** The service level (the strongest service bit set). */
    public ServiceType serviceType() {
        return ServiceType.fromTypeWord(serviceTypeWord);
    }

    /** Whether the sender asked not to get its own copy. */
    public boolean selfDiscard() {
        return (serviceTypeWord & SpreadConstants.SELF_DISCARD) != 0;
    }

    /** Whether this is a message of ours the daemon refused. */
    public boolean rejected() {
        return (serviceTypeWord & SpreadConstants.REJECT_MESS) != 0;
    }

    /** The sender's private group name {@code #name#daemon}. */
    public String sender() {
        return sender;
    }

    public List<String> groups() {
        return groups;
    }

    /** The application's 16-bit message type. */
    public short messType() {
        return messType;
    }

    public boolean endianMismatch() {
        return endianMismatch;
    }

    /** The payload; the array belongs to the caller. */
    public byte[] data() {
        return data;
    }

    @Override
    public int sizeBytes() {
        return 64 + data.length + 48 * groups.size();
    }

    @Override
    public String toString() {
        return "DataMessage[" + serviceType() + " from " + sender + " to " + groups + ", type " + messType + ", "
                + data.length + " bytes]";
    }
}
