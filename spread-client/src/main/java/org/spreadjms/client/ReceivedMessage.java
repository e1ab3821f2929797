package org.spreadjms.client;

/** Something the daemon delivered: a {@link DataMessage} or a {@link MembershipMessage}. */
public sealed interface ReceivedMessage permits DataMessage, MembershipMessage {
    /** The type word as delivered, without the endian marker (service bits, membership bits, SELF_DISCARD...). */
    int serviceTypeWord();

    /** Approximate bytes this message holds in memory (for buffer accounting). */
    int sizeBytes();
}
