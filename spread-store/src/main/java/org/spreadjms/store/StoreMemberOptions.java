package org.spreadjms.store;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.spreadjms.jms.store.StoreMembers;
import org.spreadjms.store.log.FsyncPolicy;

/**
 * How a {@link StoreMember} runs.
 *
 * @param daemon            the Spread daemon, as {@code port} or {@code port@host}
 * @param privateName       the private name to connect with, after the store members' prefix {@code $st}
 *                          ({@link StoreMembers}; a name that starts with it is used as is): at most 7 characters
 *                          besides the prefix; empty: {@code $st} and 7 random characters
 * @param dataDirectory     where the message log lives
 * @param fsync             when appends count as durable
 * @param destinations      the Spread groups whose messages it stores (every member of a replica group must store the
 *                          same ones)
 * @param controlGroup      the group the store members of one replica group join
 * @param bootstrapMembers  how many members must be in the control group before members that all restart without
 *                          a serving one pick the most advanced among them (1: a lone member serves its own log)
 * @param timeout           bound of every wait on the daemon (joins) and of a state transfer's steps
 * @param catchUpBufferBytes bound of what a catching-up member buffers from the live stream while its state comes
 * @param replicas          the number of store members the replica group is meant to have, or 0 (no quorum rule).
 *                          When set, a member serves (stores and acknowledges) only while its control view holds a
 *                          majority of them, so the minority side of a partition acknowledges nothing and takes
 *                          the majority's state after the merge
 */
public record StoreMemberOptions(String daemon, String privateName, Path dataDirectory, FsyncPolicy fsync,
                                 List<String> destinations, String controlGroup, int bootstrapMembers,
                                 Duration timeout, long catchUpBufferBytes, int replicas) {
    /** The default control group. */
    public static final String CONTROL_GROUP = "$spread.store";
    private static final int MAX_PRIVATE_NAME = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    public StoreMemberOptions {
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(privateName, "privateName");
        String full = withPrefix(privateName);
        if (full.length() > MAX_PRIVATE_NAME) {
            throw new IllegalArgumentException("store member private name '" + privateName + "' is too long: with"
                    + " the prefix '" + StoreMembers.PRIVATE_NAME_PREFIX + "' it is '" + full + "', "
                    + full.length() + " characters (at most " + MAX_PRIVATE_NAME + ")");
        }
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(fsync, "fsync");
        destinations = List.copyOf(destinations);
        Objects.requireNonNull(controlGroup, "controlGroup");
        Objects.requireNonNull(timeout, "timeout");
        if (destinations.contains(controlGroup)) {
            throw new IllegalArgumentException("the control group '" + controlGroup + "' cannot be a destination");
        }
        if (bootstrapMembers < 1) {
            throw new IllegalArgumentException("bootstrapMembers must be at least 1, not " + bootstrapMembers);
        }
        if (catchUpBufferBytes < 1) {
            throw new IllegalArgumentException("catchUpBufferBytes must be positive");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 (no quorum rule) or positive, not " + replicas);
        }
    }

    /** Options without the quorum rule. */
    public StoreMemberOptions(String daemon, String privateName, Path dataDirectory, FsyncPolicy fsync,
                              List<String> destinations, String controlGroup, int bootstrapMembers, Duration timeout,
                              long catchUpBufferBytes) {
        this(daemon, privateName, dataDirectory, fsync, destinations, controlGroup, bootstrapMembers, timeout,
                catchUpBufferBytes, 0);
    }

    /**
     * The Spread private name to connect with: {@link #privateName} after the prefix that marks store members (so
     * that JMS queue members never assign a message to one), or the prefix and random characters when empty.
     */
    public String spreadPrivateName() {
        if (!privateName.isEmpty()) {
            return withPrefix(privateName);
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(StoreMembers.PRIVATE_NAME_PREFIX);
        while (sb.length() < MAX_PRIVATE_NAME) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String withPrefix(String name) {
        return name.startsWith(StoreMembers.PRIVATE_NAME_PREFIX) ? name : StoreMembers.PRIVATE_NAME_PREFIX + name;
    }

    /** The members a control view needs for this member to serve: a majority of {@code replicas}, else 1. */
    public int quorum() {
        return replicas > 0 ? replicas / 2 + 1 : 1;
    }

    public StoreMemberOptions withReplicas(int n) {
        return new StoreMemberOptions(daemon, privateName, dataDirectory, fsync, destinations, controlGroup,
                bootstrapMembers, timeout, catchUpBufferBytes, n);
    }

    /** Options with the defaults: fsync batch, the default control group, bootstrap alone, 10 s, 256 MiB. */
    public static StoreMemberOptions of(String daemon, String privateName, Path dataDirectory,
                                        List<String> destinations) {
        return new StoreMemberOptions(daemon, privateName, dataDirectory, FsyncPolicy.defaultPolicy(), destinations,
                CONTROL_GROUP, 1, Duration.ofSeconds(10), 256L << 20);
    }

    /** The same options for another daemon ({@code port} or {@code port@host}). */
    public StoreMemberOptions withDaemon(String other) {
        return new StoreMemberOptions(other, privateName, dataDirectory, fsync, destinations, controlGroup,
                bootstrapMembers, timeout, catchUpBufferBytes, replicas);
    }

    /**
     * The same options with the private name fixed: an empty one replaced by the random name it stands for, so that
     * every member started from them connects as the same store member.
     */
    public StoreMemberOptions withFixedPrivateName() {
        if (!privateName.isEmpty()) {
            return this;
        }
        return new StoreMemberOptions(daemon, spreadPrivateName(), dataDirectory, fsync, destinations, controlGroup,
                bootstrapMembers, timeout, catchUpBufferBytes, replicas);
    }

    public StoreMemberOptions withFsync(FsyncPolicy policy) {
        return new StoreMemberOptions(daemon, privateName, dataDirectory, policy, destinations, controlGroup,
                bootstrapMembers, timeout, catchUpBufferBytes, replicas);
    }

    public StoreMemberOptions withBootstrapMembers(int n) {
        return new StoreMemberOptions(daemon, privateName, dataDirectory, fsync, destinations, controlGroup, n,
                timeout, catchUpBufferBytes, replicas);
    }

    public StoreMemberOptions withCatchUpBufferBytes(long bytes) {
        return new StoreMemberOptions(daemon, privateName, dataDirectory, fsync, destinations, controlGroup,
                bootstrapMembers, timeout, bytes, replicas);
    }
}
