package org.spreadjms.jms;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.provider.FailoverOptions;
import org.spreadjms.jms.store.StoreMembers;

/**
 * Settings of a connection factory: the daemon(s) to connect to and the options of the table below, readable from a
 * URI {@code spread://host:port?option=value&...} or {@code spread:failover:(spread://h1:p1,spread://h2:p2)?...}
 * (parsed and written by {@code SettingsUri}) and settable as bean properties. Unknown URI options fail loudly,
 * naming every option that was not understood; {@code failover.*} options on a plain {@code spread://} URI are
 * refused.
 *
 * <p>Each option is written once, in the table below: name, type, default, one-line description, rule. Parsing,
 * {@link #copy()}, {@link #toUri()}, validation and the check of README's option table all read that table.
 * Durations are {@link Duration}s; a URI gives them in milliseconds as it always has ({@code connectTimeout=5000}),
 * or in ISO-8601 ({@code connectTimeout=PT5S}).
 */
public final class SpreadJmsSettings {
    /** {@link #getStoreAcks()} when set to {@code all}. */
    public static final int STORE_ACKS_ALL = UriOption.ALL;
    public static final String DEFAULT_URI = "spread://127.0.0.1:" + SpreadConstants.DEFAULT_SPREAD_PORT;

    static final UriOption<String> CLIENT_ID = UriOption.text("clientID", "JMS client id of connections");
    static final UriOption<String> USER = UriOption.text("user", "user that createConnection() and createContext()"
            + " without credentials authenticate as (SCRAM-SHA-256 or PWORD, as the daemon offers); none: anonymous");
    static final UriOption<String> PASSWORD = UriOption.text("password", "password of `user`. It is part of the"
            + " factory's URI (getBrokerURI, JNDI, serialization): protect that like the password itself");
    static final UriOption<String> PRIVATE_NAME_PREFIX = UriOption.text("privateNamePrefix",
            "prefix of the Spread private names of connections (a random suffix makes each unique)")
            .validatedBy(SpreadJmsSettings::checkPrivateNamePrefix);
    static final UriOption<ServiceType> NON_PERSISTENT_SERVICE_TYPE = UriOption.serviceType(
            "nonPersistentServiceType", ServiceType.FIFO, "service type of NON_PERSISTENT messages");
    static final UriOption<ServiceType> PERSISTENT_SERVICE_TYPE = UriOption.serviceType("persistentServiceType",
            ServiceType.SAFE, "service type of PERSISTENT messages");
    static final UriOption<Duration> CONNECT_TIMEOUT = UriOption.duration("connectTimeout", Duration.ofSeconds(5),
            "time for TCP connect and handshake");
    static final UriOption<Duration> JOIN_TIMEOUT = UriOption.duration("joinTimeout", Duration.ofSeconds(10),
            "time to wait for the daemon to confirm a consumer's join");
    static final UriOption<Boolean> RAW_MESSAGES_AS_TEXT = UriOption.flag("rawMessagesAsText", false,
            "messages from plain Spread programs arrive as TextMessage (UTF-8) instead of BytesMessage");
    static final UriOption<String> DESERIALIZATION_ALLOWLIST = UriOption.text("deserializationAllowlist",
            "extra classes ObjectMessage may deserialize (com.example.Order, com.example.*, com.example.**)");
    static final UriOption<Integer> CONSUMER_BUFFER_MESSAGES = UriOption.integer("consumerBufferMessages", 10_000,
            "messages held per consumer before the oldest is dropped").rule("at least 1", n -> n >= 1);
    static final UriOption<Long> CONSUMER_BUFFER_BYTES = UriOption.bytes("consumerBufferBytes", 128L << 20,
            "bytes held per consumer before the oldest is dropped (never less than maxMessageBytes)")
            .rule("at least 1024", n -> n >= 1024);
    static final UriOption<Long> RECEIVE_BUFFER_BYTES = UriOption.bytes("receiveBufferBytes", 64L << 20,
            "received Spread messages held per connection before its reader waits")
            .rule("at least 65536", n -> n >= 64 * 1024);
    static final UriOption<Boolean> ALWAYS_SESSION_ASYNC = UriOption.flag("alwaysSessionAsync", true,
            "false: a connection's single AUTO/DUPS_OK session runs its listener on the dispatcher thread");
    static final UriOption<Integer> MAX_REDELIVERIES = UriOption.integer("maxRedeliveries", 6,
            "redeliveries of a message before it is given up on; -1 for no limit")
            .rule("-1 (no limit) or at least 0", n -> n >= -1);
    static final UriOption<String> DEAD_LETTER_QUEUE = UriOption.text("deadLetterQueue",
            "queue that receives messages given up on").validatedBy(SpreadJmsSettings::checkDeadLetterQueue);
    static final UriOption<String> QUEUE_NO_CONSUMER_POLICY = UriOption.choice("queueNoConsumerPolicy", "drop",
            List.of("drop", "fail"), "a send to a named queue without consumer: drop (lost) or fail (JMSException)");
    static final UriOption<Integer> STORE_ACKS = UriOption.countOrAll("storeAcks", UriOption.ALL,
            "store members that must hold a PERSISTENT message before send() returns (0: no store round trip)");
    static final UriOption<Duration> STORE_TIMEOUT = UriOption.duration("storeTimeout", Duration.ofSeconds(10),
            "how long a PERSISTENT send waits for the store members' acknowledgements (storeAcks) before failing");
    static final UriOption<String> STORE_GROUP = UriOption.text("storeGroup", "$spread.store",
            "the store members' control group (spread store --control): durable subscriptions are created there")
            .rule("a legal Spread group name", SpreadJmsSettings::isLegalGroup);
    static final UriOption<Long> MAX_MESSAGE_BYTES = UriOption.bytes("maxMessageBytes", 128L << 20,
            "largest JMS message (encoded); larger than one Spread message goes in fragments")
            .rule("at least 1024", n -> n >= 1024);
    static final UriOption<Long> REASSEMBLY_BUFFER_BYTES = UriOption.bytes("reassemblyBufferBytes", 256L << 20,
            "memory per connection for messages being put together from fragments")
            .rule("at least 1024", n -> n >= 1024);
    static final UriOption<Duration> FRAGMENT_TIMEOUT = UriOption.duration("fragmentTimeout",
            Duration.ofSeconds(60), "time after which a partly received fragmented message is discarded");
    static final UriOption<Integer> FAILOVER_MAX_RECONNECT_ATTEMPTS = UriOption.integer(
            "failover.maxReconnectAttempts", -1, "reconnect attempts before giving up; -1 for no limit")
            .rule("-1 (no limit) or at least 1", n -> n == -1 || n >= 1);
    static final UriOption<Duration> FAILOVER_INITIAL_RECONNECT_DELAY = UriOption.duration(
            "failover.initialReconnectDelay", Duration.ofMillis(100), "wait after the first failed attempt");
    static final UriOption<Duration> FAILOVER_MAX_RECONNECT_DELAY = UriOption.duration("failover.maxReconnectDelay",
            Duration.ofSeconds(5), "longest wait between attempts (never less than the initial delay)");
    static final UriOption<Double> FAILOVER_RECONNECT_BACK_OFF_MULTIPLIER = UriOption.decimal(
            "failover.reconnectBackOffMultiplier", 2.0, "growth of the wait after each failed attempt")
            .rule("at least 1", m -> m >= 1.0);
    static final UriOption<Duration> FAILOVER_SEND_TIMEOUT = UriOption.duration("failover.sendTimeout",
            Duration.ofSeconds(30), "how long a send waits for a reconnection before failing");

    /** Every option, in the order README lists them. */
    static final List<UriOption<?>> OPTIONS = List.of(CLIENT_ID, USER, PASSWORD, PRIVATE_NAME_PREFIX, NON_PERSISTENT_SERVICE_TYPE,
            PERSISTENT_SERVICE_TYPE, CONNECT_TIMEOUT, JOIN_TIMEOUT, RAW_MESSAGES_AS_TEXT, DESERIALIZATION_ALLOWLIST,
            CONSUMER_BUFFER_MESSAGES, CONSUMER_BUFFER_BYTES, RECEIVE_BUFFER_BYTES, ALWAYS_SESSION_ASYNC,
            MAX_REDELIVERIES, DEAD_LETTER_QUEUE, QUEUE_NO_CONSUMER_POLICY, STORE_ACKS, STORE_TIMEOUT, STORE_GROUP,
            MAX_MESSAGE_BYTES, REASSEMBLY_BUFFER_BYTES,
            FRAGMENT_TIMEOUT, FAILOVER_MAX_RECONNECT_ATTEMPTS, FAILOVER_INITIAL_RECONNECT_DELAY,
            FAILOVER_MAX_RECONNECT_DELAY, FAILOVER_RECONNECT_BACK_OFF_MULTIPLIER, FAILOVER_SEND_TIMEOUT);

    /** The option table in Markdown (name, type, default, description): what README's table starts from. */
    static String optionTable() {
        StringBuilder sb = new StringBuilder("| option | type | default | meaning |\n|---|---|---|---|\n");
        for (UriOption<?> o : OPTIONS) {
            sb.append("| `").append(o.name()).append("` | ").append(o.kind().label()).append(" | ")
                    .append(o.defaultText()).append(" | ").append(o.description()).append(" |\n");
        }
        return sb.toString();
    }

    private List<SpreadAddress> daemons = List.of(new SpreadAddress("127.0.0.1", SpreadConstants.DEFAULT_SPREAD_PORT));
    private boolean failover;
    private final Map<UriOption<?>, Object> values = new HashMap<>();

    public SpreadJmsSettings() {
        for (UriOption<?> o : OPTIONS) {
            values.put(o, o.defaultValue());
        }
    }

    /**
     * Parses a {@code spread://host:port?options} or {@code spread:failover:(...)?options} URI.
     *
     * @throws IllegalArgumentException naming what is wrong: the URI's form, a port, unknown options, a value
     */
    public static SpreadJmsSettings fromUri(String uri) {
        return SettingsUri.parse(uri);
    }

    /** The settings as a URI again; {@link #fromUri} of it gives equal settings. Only options not at their default. */
    public String toUri() {
        return SettingsUri.format(this);
    }

    public SpreadJmsSettings copy() {
        SpreadJmsSettings c = new SpreadJmsSettings();
        c.daemons = daemons;
        c.failover = failover;
        c.values.putAll(values);
        return c;
    }

    @SuppressWarnings("unchecked")
    <T> T get(UriOption<T> option) {
        return (T) values.get(option);
    }

    /** Sets an option after checking it against its rules. */
    <T> void set(UriOption<T> option, T value) {
        values.put(option, option.check(value));
    }

    void setDaemons(List<SpreadAddress> list, boolean failover) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no daemon to connect to");
        }
        this.daemons = List.copyOf(list);
        this.failover = failover;
    }

    /** The daemons to connect to; several with a failover URI. */
    public List<SpreadAddress> daemons() {
        return daemons;
    }

    /** Whether connections reconnect (a {@code spread:failover:(...)} URI). */
    public boolean isFailover() {
        return failover;
    }

    /** The {@code failover.*} options (their defaults for a plain URI). */
    public FailoverOptions failoverOptions() {
        Duration initial = get(FAILOVER_INITIAL_RECONNECT_DELAY);
        Duration max = get(FAILOVER_MAX_RECONNECT_DELAY);
        return new FailoverOptions(get(FAILOVER_MAX_RECONNECT_ATTEMPTS), initial,
                max.compareTo(initial) < 0 ? initial : max, get(FAILOVER_RECONNECT_BACK_OFF_MULTIPLIER),
                get(FAILOVER_SEND_TIMEOUT));
    }

    public String getHost() {
        return daemons.get(0).host();
    }

    /** Connects to this host alone (ends failover to other daemons). */
    public void setHost(String host) {
        this.daemons = List.of(new SpreadAddress(Objects.requireNonNull(host, "host"), getPort()));
    }

    public int getPort() {
        return daemons.get(0).port();
    }

    /** Connects to this port of the first daemon alone (ends failover to other daemons). */
    public void setPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        this.daemons = List.of(new SpreadAddress(getHost(), port));
    }

    /** The client id, or null for none. */
    public String getClientID() {
        String id = get(CLIENT_ID);
        return id.isEmpty() ? null : id;
    }

    public void setClientID(String clientID) {
        set(CLIENT_ID, clientID == null ? "" : clientID);
    }

    public String getPrivateNamePrefix() {
        return get(PRIVATE_NAME_PREFIX);
    }

    public void setPrivateNamePrefix(String prefix) {
        set(PRIVATE_NAME_PREFIX, prefix == null ? "" : prefix);
    }

    public ServiceType getNonPersistentServiceType() {
        return get(NON_PERSISTENT_SERVICE_TYPE);
    }

    public void setNonPersistentServiceType(ServiceType t) {
        set(NON_PERSISTENT_SERVICE_TYPE, t);
    }

    public ServiceType getPersistentServiceType() {
        return get(PERSISTENT_SERVICE_TYPE);
    }

    public void setPersistentServiceType(ServiceType t) {
        set(PERSISTENT_SERVICE_TYPE, t);
    }

    /** Parses a service type name, case-insensitively. */
    public static ServiceType serviceType(String value) {
        return UriOption.serviceType(value);
    }

    public Duration connectTimeout() {
        return get(CONNECT_TIMEOUT);
    }

    public void setConnectTimeout(Duration timeout) {
        set(CONNECT_TIMEOUT, timeout);
    }

    /** Bean form, in milliseconds as in URIs. */
    public void setConnectTimeout(long millis) {
        set(CONNECT_TIMEOUT, Duration.ofMillis(millis));
    }

    public Duration joinTimeout() {
        return get(JOIN_TIMEOUT);
    }

    public void setJoinTimeout(Duration timeout) {
        set(JOIN_TIMEOUT, timeout);
    }

    /** Bean form, in milliseconds as in URIs. */
    public void setJoinTimeout(long millis) {
        set(JOIN_TIMEOUT, Duration.ofMillis(millis));
    }

    public Duration fragmentTimeout() {
        return get(FRAGMENT_TIMEOUT);
    }

    public void setFragmentTimeout(Duration timeout) {
        set(FRAGMENT_TIMEOUT, timeout);
    }

    /** Bean form, in milliseconds as in URIs. */
    public void setFragmentTimeout(long millis) {
        set(FRAGMENT_TIMEOUT, Duration.ofMillis(millis));
    }

    public boolean isRawMessagesAsText() {
        return get(RAW_MESSAGES_AS_TEXT);
    }

    public void setRawMessagesAsText(boolean on) {
        set(RAW_MESSAGES_AS_TEXT, on);
    }

    public String getDeserializationAllowlist() {
        return get(DESERIALIZATION_ALLOWLIST);
    }

    public void setDeserializationAllowlist(String list) {
        set(DESERIALIZATION_ALLOWLIST, list == null ? "" : list);
    }

    public int getConsumerBufferMessages() {
        return get(CONSUMER_BUFFER_MESSAGES);
    }

    public void setConsumerBufferMessages(int n) {
        set(CONSUMER_BUFFER_MESSAGES, n);
    }

    public long getConsumerBufferBytes() {
        return get(CONSUMER_BUFFER_BYTES);
    }

    /**
     * Bytes (as received) held per consumer, and per private-queue mailbox, before the oldest messages are dropped.
     * The bound applied is {@link #effectiveConsumerBufferBytes()}.
     */
    public void setConsumerBufferBytes(long bytes) {
        set(CONSUMER_BUFFER_BYTES, bytes);
    }

    /** The byte bound that applies: {@code consumerBufferBytes}, but never less than {@code maxMessageBytes}. */
    public long effectiveConsumerBufferBytes() {
        return Math.max(getConsumerBufferBytes(), getMaxMessageBytes());
    }

    public long getReceiveBufferBytes() {
        return get(RECEIVE_BUFFER_BYTES);
    }

    /**
     * While the reader waits, a real Spread daemon cuts the connection off once 1000 messages are queued for it
     * (reported to the ExceptionListener); the embedded daemon slows the senders down instead.
     */
    public void setReceiveBufferBytes(long bytes) {
        set(RECEIVE_BUFFER_BYTES, bytes);
    }

    public boolean isAlwaysSessionAsync() {
        return get(ALWAYS_SESSION_ASYNC);
    }

    /**
     * False: while a connection has a single AUTO/DUPS_OK session, its listener runs on the connection's dispatcher
     * thread (ActiveMQ Classic's option of the same name); README says what such a listener must not do. Not
     * applied with {@code queueNoConsumerPolicy=fail} (a send waits for a view that thread brings).
     */
    public void setAlwaysSessionAsync(boolean on) {
        set(ALWAYS_SESSION_ASYNC, on);
    }

    public int getMaxRedeliveries() {
        return get(MAX_REDELIVERIES);
    }

    /** After rollback, recover, or a MessageListener that threw in AUTO/DUPS_OK mode. 6 is ActiveMQ's default. */
    public void setMaxRedeliveries(int n) {
        set(MAX_REDELIVERIES, n);
    }

    /** The user of {@code createConnection()} without credentials, or null (anonymous). */
    public String getUser() {
        String u = get(USER);
        return u.isEmpty() ? null : u;
    }

    public void setUser(String user) {
        set(USER, user == null ? "" : user);
    }

    /** The password of {@link #getUser()}, or null. */
    public String getPassword() {
        String p = get(PASSWORD);
        return p.isEmpty() ? null : p;
    }

    public void setPassword(String password) {
        set(PASSWORD, password == null ? "" : password);
    }

    public String getDeadLetterQueue() {
        return get(DEAD_LETTER_QUEUE);
    }

    /** Empty for none (messages given up on are dropped with a warning). */
    public void setDeadLetterQueue(String queue) {
        set(DEAD_LETTER_QUEUE, queue == null ? "" : queue.trim());
    }

    /** {@code drop} (default) or {@code fail}: see docs/queue-protocol.md. */
    public String getQueueNoConsumerPolicy() {
        return get(QUEUE_NO_CONSUMER_POLICY);
    }

    public void setQueueNoConsumerPolicy(String policy) {
        set(QUEUE_NO_CONSUMER_POLICY, policy);
    }

    /**
     * Store members that must acknowledge a PERSISTENT queue message before its send returns: 0 (no store round
     * trip), a count, or {@link #STORE_ACKS_ALL} (every store member in view, at least 1).
     */
    public int getStoreAcks() {
        return get(STORE_ACKS);
    }

    public void setStoreAcks(int n) {
        set(STORE_ACKS, n);
    }

    public Duration getStoreTimeout() {
        return get(STORE_TIMEOUT);
    }

    public void setStoreTimeout(Duration timeout) {
        set(STORE_TIMEOUT, timeout);
    }

    public String getStoreGroup() {
        return get(STORE_GROUP);
    }

    public void setStoreGroup(String group) {
        set(STORE_GROUP, group);
    }

    private static boolean isLegalGroup(String group) {
        return org.spreadjms.jms.destination.DestinationNames.isLegalGroupName(group);
    }

    boolean failWithoutQueueConsumer() {
        return "fail".equals(getQueueNoConsumerPolicy());
    }

    public long getMaxMessageBytes() {
        return get(MAX_MESSAGE_BYTES);
    }

    public void setMaxMessageBytes(long bytes) {
        set(MAX_MESSAGE_BYTES, bytes);
    }

    public long getReassemblyBufferBytes() {
        return get(REASSEMBLY_BUFFER_BYTES);
    }

    public void setReassemblyBufferBytes(long bytes) {
        set(REASSEMBLY_BUFFER_BYTES, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpreadJmsSettings s && failover == s.failover && daemons.equals(s.daemons)
                && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(daemons, failover, values);
    }

    @Override
    public String toString() {
        return toUri();
    }

    private static void checkPrivateNamePrefix(String p) {
        String reserved = StoreMembers.PRIVATE_NAME_PREFIX;
        if (!p.isEmpty() && (p.startsWith(reserved) || reserved.startsWith(p))) {
            throw new IllegalArgumentException("privateNamePrefix '" + p + "' could make names starting with '"
                    + reserved + "', which are reserved for store members");
        }
        if (p.length() > 5) {
            throw new IllegalArgumentException("privateNamePrefix '" + p + "' is " + p.length()
                    + " characters (at most 5, leaving room for a unique suffix in 10)");
        }
        for (char c : p.toCharArray()) {
            if (c < 36 || c > 126) {
                throw new IllegalArgumentException("privateNamePrefix '" + p + "' has character '" + c
                        + "' (only '$' through '~' allowed)");
            }
        }
    }

    private static void checkDeadLetterQueue(String q) {
        if (!q.isEmpty()) {
            try {
                new SpreadQueue(q);
            } catch (JMSException | RuntimeException e) {
                throw new IllegalArgumentException("deadLetterQueue '" + q + "' is not a usable queue name: "
                        + e.getMessage(), e);
            }
        }
    }
}
