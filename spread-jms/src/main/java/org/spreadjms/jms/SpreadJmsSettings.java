package org.spreadjms.jms;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadAddress;
import org.spreadjms.client.SpreadConstants;
import org.spreadjms.jms.destination.SpreadQueue;
import org.spreadjms.jms.provider.FailoverOptions;

/**
 * Settings of a connection factory, readable from a URI {@code spread://host:port?option=value&...} and settable
 * as bean properties. Unknown URI options fail loudly, naming every option that was not understood.
 *
 * <table>
 * <caption>URI options</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>clientID</td><td>none</td><td>JMS client id of connections</td></tr>
 * <tr><td>privateNamePrefix</td><td>none (daemon picks)</td><td>prefix of the Spread private name (at most 5
 *     characters; a random suffix makes it unique)</td></tr>
 * <tr><td>nonPersistentServiceType</td><td>FIFO</td><td>service type of NON_PERSISTENT messages</td></tr>
 * <tr><td>persistentServiceType</td><td>SAFE</td><td>service type of PERSISTENT messages</td></tr>
 * <tr><td>connectTimeout</td><td>5000</td><td>ms to connect and finish the handshake</td></tr>
 * <tr><td>joinTimeout</td><td>10000</td><td>ms to wait for the daemon to confirm a consumer's join</td></tr>
 * <tr><td>rawMessagesAsText</td><td>false</td><td>messages from plain Spread programs arrive as TextMessage
 *     (UTF-8) instead of BytesMessage</td></tr>
 * <tr><td>deserializationAllowlist</td><td>JDK value types</td><td>extra classes ObjectMessage may deserialize
 *     (comma-separated: {@code com.example.Order}, {@code com.example.*}, {@code com.example.**})</td></tr>
 * <tr><td>consumerBufferMessages</td><td>10000</td><td>messages held per consumer before the oldest are dropped
 *     (logged)</td></tr>
 * <tr><td>consumerBufferBytes</td><td>128 MiB</td><td>bytes (as received) held per consumer before the oldest are
 *     dropped (logged); never less than maxMessageBytes, so the largest message always fits</td></tr>
 * <tr><td>alwaysSessionAsync</td><td>true</td><td>false: a connection with a single AUTO/DUPS_OK session runs its
 *     MessageListener on the connection's dispatcher thread (one thread hand-off less, as ActiveMQ's option of that
 *     name); such a listener must not wait for messages of its own connection</td></tr>
 * <tr><td>maxRedeliveries</td><td>6</td><td>redeliveries of a message (rollback, recover, a listener that threw in
 *     AUTO/DUPS_OK mode)
 *     before it is given up on: moved to {@code deadLetterQueue}, or dropped with a warning; -1 for no limit</td></tr>
 * <tr><td>deadLetterQueue</td><td>none</td><td>queue that receives messages given up on</td></tr>
 * </table>
 */
public final class SpreadJmsSettings {
    public static final String DEFAULT_URI = "spread://127.0.0.1:" + SpreadConstants.DEFAULT_SPREAD_PORT;
    private static final List<String> OPTIONS = List.of("clientID", "privateNamePrefix", "nonPersistentServiceType",
            "persistentServiceType", "connectTimeout", "joinTimeout", "rawMessagesAsText",
            "deserializationAllowlist", "consumerBufferMessages", "consumerBufferBytes", "alwaysSessionAsync",
            "maxRedeliveries",
            "deadLetterQueue",
            "maxMessageBytes", "reassemblyBufferBytes",
            "fragmentTimeout", "queueNoConsumerPolicy", "receiveBufferBytes", "failover.maxReconnectAttempts",
            "failover.initialReconnectDelay",
            "failover.maxReconnectDelay", "failover.reconnectBackOffMultiplier", "failover.sendTimeout");
    private static final String FAILOVER_PREFIX = "spread:failover:";

    private String host = "127.0.0.1";
    private int port = SpreadConstants.DEFAULT_SPREAD_PORT;
    private String clientID;
    private String privateNamePrefix = "";
    private ServiceType nonPersistentServiceType = ServiceType.FIFO;
    private ServiceType persistentServiceType = ServiceType.SAFE;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration joinTimeout = Duration.ofSeconds(10);
    private boolean rawMessagesAsText;
    private String deserializationAllowlist = "";
    private int consumerBufferMessages = 10_000;
    private long consumerBufferBytes = 128L * 1024 * 1024;
    private boolean alwaysSessionAsync = true;
    private int maxRedeliveries = 6;
    private String deadLetterQueue = "";
    private List<SpreadAddress> daemons = List.of(new SpreadAddress("127.0.0.1", SpreadConstants.DEFAULT_SPREAD_PORT));
    private boolean failover;
    private FailoverOptions failoverOptions = FailoverOptions.DEFAULTS;
    private long maxMessageBytes = 128L * 1024 * 1024;
    private long reassemblyBufferBytes = 256L * 1024 * 1024;
    private long fragmentTimeoutMillis = 60_000;
    private boolean failWithoutQueueConsumer;
    private long receiveBufferBytes = 64L * 1024 * 1024;

    public SpreadJmsSettings() {
    }

    /** Parses a {@code spread://host:port?options} URI. */
    public static SpreadJmsSettings fromUri(String uri) {
        SpreadJmsSettings s = new SpreadJmsSettings();
        s.applyUri(uri);
        return s;
    }

    public SpreadJmsSettings copy() {
        SpreadJmsSettings c = new SpreadJmsSettings();
        c.host = host;
        c.port = port;
        c.clientID = clientID;
        c.privateNamePrefix = privateNamePrefix;
        c.nonPersistentServiceType = nonPersistentServiceType;
        c.persistentServiceType = persistentServiceType;
        c.connectTimeout = connectTimeout;
        c.joinTimeout = joinTimeout;
        c.rawMessagesAsText = rawMessagesAsText;
        c.deserializationAllowlist = deserializationAllowlist;
        c.consumerBufferMessages = consumerBufferMessages;
        c.consumerBufferBytes = consumerBufferBytes;
        c.alwaysSessionAsync = alwaysSessionAsync;
        c.maxRedeliveries = maxRedeliveries;
        c.deadLetterQueue = deadLetterQueue;
        c.daemons = daemons;
        c.failover = failover;
        c.failoverOptions = failoverOptions;
        c.maxMessageBytes = maxMessageBytes;
        c.reassemblyBufferBytes = reassemblyBufferBytes;
        c.fragmentTimeoutMillis = fragmentTimeoutMillis;
        c.failWithoutQueueConsumer = failWithoutQueueConsumer;
        c.receiveBufferBytes = receiveBufferBytes;
        return c;
    }

    void applyUri(String text) {
        String t = Objects.requireNonNull(text, "uri").trim();
        if (t.startsWith(FAILOVER_PREFIX)) {
            applyFailoverUri(t);
            return;
        }
        failover = false;
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(text, "uri").trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URI: " + e.getMessage(), e);
        }
        if (!"spread".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI '" + text + "' must start with spread://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URI '" + text + "' names no host (spread://host:port)");
        }
        host = uri.getHost();
        port = uri.getPort() < 0 ? SpreadConstants.DEFAULT_SPREAD_PORT : uri.getPort();
        daemons = List.of(new SpreadAddress(host, port));
        applyOptions(text, parseQuery(uri.getRawQuery()));
    }

    /** {@code spread:failover:(spread://h1:4803,spread://h2:4803)?options}. */
    private void applyFailoverUri(String text) {
        String rest = text.substring(FAILOVER_PREFIX.length());
        int close = rest.indexOf(')');
        if (!rest.startsWith("(") || close < 0) {
            throw new IllegalArgumentException("failover URI '" + text + "' must look like"
                    + " spread:failover:(spread://host1:port1,spread://host2:port2)?options");
        }
        List<SpreadAddress> list = new ArrayList<>();
        for (String member : rest.substring(1, close).split(",")) {
            SpreadJmsSettings one = fromUri(member.trim());
            if (member.contains("?")) {
                throw new IllegalArgumentException("options go after the failover list, not on '" + member.trim()
                        + "' in '" + text + "'");
            }
            list.add(new SpreadAddress(one.host, one.port));
        }
        String after = rest.substring(close + 1);
        if (!after.isEmpty() && !after.startsWith("?")) {
            throw new IllegalArgumentException("unexpected '" + after + "' after the failover list in '" + text + "'");
        }
        daemons = List.copyOf(list);
        host = list.get(0).host();
        port = list.get(0).port();
        failover = true;
        applyOptions(text, parseQuery(after.isEmpty() ? null : after.substring(1)));
    }

    private void applyOptions(String text, Map<String, String> options) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!OPTIONS.contains(e.getKey())) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + unknown + " in URI '" + text + "'; known: "
                    + OPTIONS);
        }
        options.forEach(this::set);
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private void set(String key, String value) {
        try {
            switch (key) {
                case "clientID" -> setClientID(value);
                case "privateNamePrefix" -> setPrivateNamePrefix(value);
                case "nonPersistentServiceType" -> setNonPersistentServiceType(serviceType(value));
                case "persistentServiceType" -> setPersistentServiceType(serviceType(value));
                case "connectTimeout" -> setConnectTimeout(Long.parseLong(value));
                case "joinTimeout" -> setJoinTimeout(Long.parseLong(value));
                case "rawMessagesAsText" -> setRawMessagesAsText(bool(key, value));
                case "deserializationAllowlist" -> setDeserializationAllowlist(value);
                case "consumerBufferMessages" -> setConsumerBufferMessages(Integer.parseInt(value));
                case "consumerBufferBytes" -> setConsumerBufferBytes(Long.parseLong(value));
                case "alwaysSessionAsync" -> setAlwaysSessionAsync(bool(key, value));
                case "maxRedeliveries" -> setMaxRedeliveries(Integer.parseInt(value));
                case "deadLetterQueue" -> setDeadLetterQueue(value);
                case "maxMessageBytes" -> setMaxMessageBytes(Long.parseLong(value));
                case "reassemblyBufferBytes" -> setReassemblyBufferBytes(Long.parseLong(value));
                case "fragmentTimeout" -> setFragmentTimeout(Long.parseLong(value));
                case "queueNoConsumerPolicy" -> setQueueNoConsumerPolicy(value);
                case "receiveBufferBytes" -> setReceiveBufferBytes(Long.parseLong(value));
                case "failover.maxReconnectAttempts" -> failoverOptions = new FailoverOptions(Integer.parseInt(value),
                        failoverOptions.initialDelayMillis(), failoverOptions.maxDelayMillis(),
                        failoverOptions.backOffMultiplier(), failoverOptions.sendTimeoutMillis());
                case "failover.initialReconnectDelay" -> failoverOptions = new FailoverOptions(
                        failoverOptions.maxAttempts(), Long.parseLong(value),
                        Math.max(Long.parseLong(value), failoverOptions.maxDelayMillis()),
                        failoverOptions.backOffMultiplier(), failoverOptions.sendTimeoutMillis());
                case "failover.maxReconnectDelay" -> failoverOptions = new FailoverOptions(failoverOptions.maxAttempts(),
                        failoverOptions.initialDelayMillis(), Long.parseLong(value),
                        failoverOptions.backOffMultiplier(), failoverOptions.sendTimeoutMillis());
                case "failover.reconnectBackOffMultiplier" -> failoverOptions = new FailoverOptions(
                        failoverOptions.maxAttempts(), failoverOptions.initialDelayMillis(),
                        failoverOptions.maxDelayMillis(), Double.parseDouble(value), failoverOptions.sendTimeoutMillis());
                case "failover.sendTimeout" -> failoverOptions = new FailoverOptions(failoverOptions.maxAttempts(),
                        failoverOptions.initialDelayMillis(), failoverOptions.maxDelayMillis(),
                        failoverOptions.backOffMultiplier(), Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + key);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "=" + value + " is not a number", e);
        }
    }

    /** Parses a service type name, case-insensitively. */
    public static ServiceType serviceType(String value) {
        try {
            return ServiceType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("service type '" + value + "' is not one of "
                    + List.of(ServiceType.values()), e);
        }
    }

    private static boolean bool(String key, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("option " + key + "=" + value + " is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** The settings as a URI again. */
    public String toUri() {
        Map<String, String> q = new TreeMap<>();
        if (clientID != null) {
            q.put("clientID", clientID);
        }
        if (!privateNamePrefix.isEmpty()) {
            q.put("privateNamePrefix", privateNamePrefix);
        }
        q.put("nonPersistentServiceType", nonPersistentServiceType.name());
        q.put("persistentServiceType", persistentServiceType.name());
        StringBuilder sb = new StringBuilder("spread://").append(host).append(':').append(port);
        char sep = '?';
        for (Map.Entry<String, String> e : q.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = '&';
        }
        return sb.toString();
    }

    /** The daemons to connect to; several with a failover URI. */
    public List<SpreadAddress> daemons() {
        return daemons;
    }

    /** Whether connections reconnect (a {@code spread:failover:(...)} URI). */
    public boolean isFailover() {
        return failover;
    }

    public FailoverOptions failoverOptions() {
        return failoverOptions;
    }

    public long getMaxMessageBytes() {
        return maxMessageBytes;
    }

    /** Largest JMS message (encoded); larger than one Spread message is sent in fragments. */
    public void setMaxMessageBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + bytes);
        }
        this.maxMessageBytes = bytes;
    }

    public long getReassemblyBufferBytes() {
        return reassemblyBufferBytes;
    }

    /** Memory for messages being put together from fragments, per connection. */
    public void setReassemblyBufferBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("reassemblyBufferBytes must be at least 1024, was " + bytes);
        }
        this.reassemblyBufferBytes = bytes;
    }

    public long getFragmentTimeout() {
        return fragmentTimeoutMillis;
    }

    /** Millis after which a partly received fragmented message is discarded. */
    public void setFragmentTimeout(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("fragmentTimeout must be positive, was " + millis);
        }
        this.fragmentTimeoutMillis = millis;
    }

    public long getReceiveBufferBytes() {
        return receiveBufferBytes;
    }

    /**
     * Bytes of received Spread messages a connection holds before its reader waits (default 64 MiB). While the
     * reader waits, a real Spread daemon cuts the connection off once 1000 messages are queued for it (reported to
     * the ExceptionListener); the embedded daemon slows the senders down instead.
     */
    public void setReceiveBufferBytes(long bytes) {
        if (bytes < 64 * 1024) {
            throw new IllegalArgumentException("receiveBufferBytes must be at least 65536, was " + bytes);
        }
        this.receiveBufferBytes = bytes;
    }

    /** {@code drop} (default) or {@code fail}: see {@link #setQueueNoConsumerPolicy}. */
    public String getQueueNoConsumerPolicy() {
        return failWithoutQueueConsumer ? "fail" : "drop";
    }

    /**
     * What a send to a named queue with no consumer does. {@code drop}: the message is sent and lost (Spread keeps
     * nothing for absent members). {@code fail}: the producer's connection watches the queue's group (as an observer
     * that takes no messages) and the send throws a JMSException when no consumer is there.
     */
    public void setQueueNoConsumerPolicy(String policy) {
        if (!"drop".equals(policy) && !"fail".equals(policy)) {
            throw new IllegalArgumentException("queueNoConsumerPolicy '" + policy + "' is not drop or fail");
        }
        this.failWithoutQueueConsumer = "fail".equals(policy);
    }

    boolean failWithoutQueueConsumer() {
        return failWithoutQueueConsumer;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = Objects.requireNonNull(host, "host");
        this.daemons = List.of(new SpreadAddress(host, port));
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        this.port = port;
        this.daemons = List.of(new SpreadAddress(host, port));
    }

    public String getClientID() {
        return clientID;
    }

    public void setClientID(String clientID) {
        this.clientID = clientID == null || clientID.isEmpty() ? null : clientID;
    }

    public String getPrivateNamePrefix() {
        return privateNamePrefix;
    }

    public void setPrivateNamePrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
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
        this.privateNamePrefix = p;
    }

    public ServiceType getNonPersistentServiceType() {
        return nonPersistentServiceType;
    }

    public void setNonPersistentServiceType(ServiceType t) {
        this.nonPersistentServiceType = Objects.requireNonNull(t);
    }

    public ServiceType getPersistentServiceType() {
        return persistentServiceType;
    }

    public void setPersistentServiceType(ServiceType t) {
        this.persistentServiceType = Objects.requireNonNull(t);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long millis) {
        this.connectTimeout = positive(millis, "connectTimeout");
    }

    public Duration joinTimeout() {
        return joinTimeout;
    }

    public void setJoinTimeout(long millis) {
        this.joinTimeout = positive(millis, "joinTimeout");
    }

    public boolean isRawMessagesAsText() {
        return rawMessagesAsText;
    }

    public void setRawMessagesAsText(boolean on) {
        this.rawMessagesAsText = on;
    }

    public String getDeserializationAllowlist() {
        return deserializationAllowlist;
    }

    public void setDeserializationAllowlist(String list) {
        this.deserializationAllowlist = list == null ? "" : list;
    }

    public int getConsumerBufferMessages() {
        return consumerBufferMessages;
    }

    public void setConsumerBufferMessages(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("consumerBufferMessages must be at least 1, was " + n);
        }
        this.consumerBufferMessages = n;
    }

    public long getConsumerBufferBytes() {
        return consumerBufferBytes;
    }

    /** The byte bound that applies: {@code consumerBufferBytes}, but never less than {@code maxMessageBytes}. */
    public long effectiveConsumerBufferBytes() {
        return Math.max(consumerBufferBytes, maxMessageBytes);
    }

    /**
     * Bytes (as received) held per consumer, and per private-queue mailbox, before the oldest messages are dropped.
     * The bound applied is never below {@code maxMessageBytes}: the largest message always fits, and making room
     * for it drops only older messages.
     */
    public void setConsumerBufferBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("consumerBufferBytes must be at least 1024, was " + bytes);
        }
        this.consumerBufferBytes = bytes;
    }

    public boolean isAlwaysSessionAsync() {
        return alwaysSessionAsync;
    }

    /**
     * True (the default): every session delivers to its MessageListeners on its own thread. False: while a connection
     * has a single session in AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE mode, its listener runs on the connection's
     * dispatcher thread, one thread hand-off less (ActiveMQ Classic's option of the same name). Such a listener holds
     * up everything else the connection receives while it runs, so it must not wait for messages of its own
     * connection (a receive on another session of it would wait in vain until its timeout), and a listener slower
     * than the incoming rate fills the connection's receive buffer instead of dropping its oldest messages. Not
     * applied with {@code queueNoConsumerPolicy=fail} (a send waits for a view that thread brings).
     */
    public void setAlwaysSessionAsync(boolean on) {
        this.alwaysSessionAsync = on;
    }

    public int getMaxRedeliveries() {
        return maxRedeliveries;
    }

    /**
     * Redeliveries of one message (after rollback, recover, or a MessageListener that threw in AUTO/DUPS_OK mode)
     * before it is given up on; -1 for no limit. 6 is ActiveMQ Classic's default.
     */
    public void setMaxRedeliveries(int n) {
        if (n < -1) {
            throw new IllegalArgumentException("maxRedeliveries must be -1 (no limit) or at least 0, was " + n);
        }
        this.maxRedeliveries = n;
    }

    public String getDeadLetterQueue() {
        return deadLetterQueue;
    }

    /**
     * The queue that receives messages given up on after {@link #setMaxRedeliveries maxRedeliveries}; empty for none
     * (they are dropped with a warning). The name must be a legal queue name.
     */
    public void setDeadLetterQueue(String queue) {
        String q = queue == null ? "" : queue.trim();
        if (!q.isEmpty()) {
            try {
                new SpreadQueue(q);
            } catch (JMSException | RuntimeException e) {
                throw new IllegalArgumentException("deadLetterQueue '" + q + "' is not a usable queue name: "
                        + e.getMessage(), e);
            }
        }
        this.deadLetterQueue = q;
    }

    private static Duration positive(long millis, String what) {
        if (millis <= 0) {
            throw new IllegalArgumentException(what + " must be positive, was " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
