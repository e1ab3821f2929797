package org.spreadjms.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How to connect: daemon address, private name, membership messages, priority, timeouts, limits and buffer bounds.
 * Build with {@link #builder()}.
 */
public final class SpreadOptions {
    private final SpreadAddress address;
    private final String privateName;
    private final boolean membershipMessages;
    private final int priority;
    private final Duration connectTimeout;
    private final Duration writeTimeout;
    private final DaemonLimits limits;
    private final int maxReceiveFrameBytes;
    private final long receiveBufferBytes;
    private final String user;
    private final String password;
    private final AuthMethod authMethod;

    private SpreadOptions(Builder b) {
        this.address = b.address;
        this.privateName = b.privateName;
        this.membershipMessages = b.membershipMessages;
        this.priority = b.priority;
        this.connectTimeout = b.connectTimeout;
        this.writeTimeout = b.writeTimeout;
        this.limits = b.limits;
        this.maxReceiveFrameBytes = b.maxReceiveFrameBytes;
        this.receiveBufferBytes = b.receiveBufferBytes;
        this.user = b.user;
        this.password = b.password;
        this.authMethod = b.authMethod;
    }

    public static Builder builder() {
        return new Builder();
    }

    public SpreadAddress address() {
        return address;
    }

    /** The private name asked for; empty lets the daemon choose. */
    public String privateName() {
        return privateName;
    }

    public boolean membershipMessages() {
        return membershipMessages;
    }

    public int priority() {
        return priority;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Limits forced by the caller, or null to decide from what the daemon announces. */
    public DaemonLimits limits() {
        return limits;
    }

    public int maxReceiveFrameBytes() {
        return maxReceiveFrameBytes;
    }

    public long receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** The user to authenticate as, or null for none. */
    public String user() {
        return user;
    }

    /** The password, or null. Never logged. */
    public String password() {
        return password;
    }

    public AuthMethod authMethod() {
        return authMethod;
    }

    public static final class Builder {
        private SpreadAddress address = new SpreadAddress(SpreadAddress.DEFAULT_HOST,
                SpreadConstants.DEFAULT_SPREAD_PORT);
        private String privateName = "";
        private boolean membershipMessages = true;
        private int priority = SpreadConstants.LOW_PRIORITY;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private DaemonLimits limits;
        private int maxReceiveFrameBytes = 4 * 1024 * 1024;
        private long receiveBufferBytes = 64L * 1024 * 1024;
        private String user;
        private String password;
        private AuthMethod authMethod = AuthMethod.AUTO;

        private Builder() {
        }

        /** The daemon, as {@code "4803"}, {@code "4803@host"} or {@code "host:port"}. */
        public Builder daemon(String spreadName) throws SpreadException {
            this.address = SpreadAddress.parse(spreadName);
            return this;
        }

        public Builder daemon(SpreadAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder daemon(String host, int port) {
            this.address = new SpreadAddress(host, port);
            return this;
        }

        /** Private name of at most 10 characters from {@code '$'..'~'}; empty (the default) lets the daemon pick. */
        public Builder privateName(String name) {
            this.privateName = Objects.requireNonNull(name, "privateName");
            return this;
        }

        /** Whether to receive membership messages (default true; needed for group views and confirmed joins). */
        public Builder membershipMessages(boolean on) {
            this.membershipMessages = on;
            return this;
        }

        /** LOW_PRIORITY (0), MEDIUM_PRIORITY (1) or HIGH_PRIORITY (2), as in SP_connect; daemons ignore it. */
        public Builder priority(int priority) {
            if (priority < SpreadConstants.LOW_PRIORITY || priority > SpreadConstants.HIGH_PRIORITY) {
                throw new IllegalArgumentException("priority " + priority + " is outside 0..2");
            }
            this.priority = priority;
            return this;
        }

        /** Bound on TCP connect plus handshake (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Bound on one blocked write to the daemon (default 30 s). A daemon that stops reading for longer is taken as
         * lost: the connection fails and every blocked caller gets an error.
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive(timeout, "writeTimeout");
            return this;
        }

        /** Force the send limits instead of deciding from the daemon (see {@link DaemonLimits}). */
        public Builder limits(DaemonLimits limits) {
            this.limits = limits;
            return this;
        }

        /** Largest frame accepted from the daemon before the connection is treated as corrupt (default 4 MiB). */
        public Builder maxReceiveFrameBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxReceiveFrameBytes " + bytes + " is below 1024");
            }
            this.maxReceiveFrameBytes = bytes;
            return this;
        }

        /**
         * Bytes of received messages held for the application (default 64 MiB). When full, the reader stops reading
         * until the application catches up, and the daemon's own bound then applies (a real daemon cuts a client off
         * at 1000 queued messages).
         */
        public Builder receiveBufferBytes(long bytes) {
            if (bytes < 64 * 1024) {
                throw new IllegalArgumentException("receiveBufferBytes " + bytes + " is below 64 KiB");
            }
            this.receiveBufferBytes = bytes;
            return this;
        }

        /**
         * User and password to authenticate with (both null: anonymous). The user name is 1..32 bytes of UTF-8
         * without NUL, ',', '=', ':' or white space. With PWORD only the first 8 bytes of the password are sent, as
         * Spread's own library does.
         */
        public Builder credentials(String user, String password) {
            if ((user == null) != (password == null)) {
                throw new IllegalArgumentException("give both user and password, or neither");
            }
            if (user != null) {
                org.spreadjms.client.wire.AuthMessages.checkUser(user);
                if (password.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("password contains a NUL character");
                }
            }
            this.user = user;
            this.password = password;
            return this;
        }

        /** Authentication method (default {@link AuthMethod#AUTO}: SCRAM-SHA-256 when the daemon offers it). */
        public Builder authMethod(AuthMethod method) {
            this.authMethod = Objects.requireNonNull(method, "authMethod");
            return this;
        }

        public SpreadOptions build() {
            if (user == null && (authMethod == AuthMethod.PWORD || authMethod == AuthMethod.SCRAM_SHA_256)) {
                throw new IllegalArgumentException("authMethod " + authMethod + " needs credentials(user, password)");
            }
            return new SpreadOptions(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
