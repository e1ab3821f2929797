package org.spreadjms.camel;

import jakarta.jms.ConnectionFactory;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.spreadjms.client.ServiceType;

/** Every option of a {@code spread:} endpoint. */
@UriParams
public class SpreadConfiguration implements Cloneable {
    @UriPath(enums = "topic,queue,membership", description = "topic, queue, or membership (the membership changes of"
            + " the group destinationName maps to).")
    @Metadata(required = true)
    private SpreadDestinationType destinationType;
    @UriPath(description = "The topic or queue name (mapped onto a Spread group as spread-jms does).")
    @Metadata(required = true)
    private String destinationName;

    @UriParam(label = "common", description = "The JMS ConnectionFactory to use (a bean reference); overrides url.")
    private ConnectionFactory connectionFactory;
    @UriParam(label = "common", description = "A spread://host:port URI (with spread-jms options) to build a SpreadConnectionFactory"
            + " from, when no connectionFactory is given (usually set once on the component).")
    private String url;
    @UriParam(label = "common", description = "The Spread service type of every message sent (default: the"
            + " factory's, by delivery mode).")
    private ServiceType serviceType;
    @UriParam(label = "common", description = "Send only the body bytes with no JMS envelope, so plain Spread"
            + " programs can read them.")
    private boolean raw;
    @UriParam(label = "producer", defaultValue = "0", description = "The Spread 16-bit message type of raw"
            + " messages (0..65535).")
    private int messageType;

    @UriParam(label = "consumer", description = "A JMS message selector; only matching messages are consumed.")
    private String selector;
    @UriParam(label = "consumer", description = "Skip messages sent by this component's own Spread connection"
            + " (Spread's SELF_DISCARD, JMS noLocal).")
    private boolean selfDiscard;
    @UriParam(label = "consumer", defaultValue = "1", description = "The number of JMS sessions consuming in"
            + " parallel; on a topic each of them gets every message.")
    private int concurrentConsumers = 1;
    @UriParam(label = "consumer", defaultValue = "AUTO_ACKNOWLEDGE", description = "The JMS acknowledgement mode of"
            + " a non-transacted consumer.")
    private SpreadAcknowledgementMode acknowledgementMode = SpreadAcknowledgementMode.AUTO_ACKNOWLEDGE;
    @UriParam(label = "consumer,transaction", description = "Consume in a transacted JMS session: commit when the"
            + " exchange completes, roll back (and so redeliver) when it fails.")
    private boolean transacted;
    @UriParam(label = "consumer", description = "Ignore JMSReplyTo: do not send the result of an exchange back.")
    private boolean disableReplyTo;
    @UriParam(label = "consumer,security", description = "Extra classes ObjectMessage bodies may deserialize into,"
            + " comma-separated (com.acme.Order, com.acme.*, com.acme.**).")
    private String deserializationAllowlist;

    @UriParam(label = "producer", defaultValue = "20000", javaType = "java.time.Duration", description = "How long an"
            + " InOut exchange waits for its reply before failing with ExchangeTimedOutException.")
    private long requestTimeout = 20_000;
    @UriParam(label = "producer", description = "A queue name for the replies of InOut exchanges, instead of a"
            + " temporary queue.")
    private String replyTo;
    @UriParam(label = "producer", defaultValue = "true", description = "Send PERSISTENT messages (the factory's"
            + " persistent service type) rather than NON_PERSISTENT ones.")
    private boolean deliveryPersistent = true;

    @UriParam(label = "security", description = "The user to authenticate as with the Spread daemon"
            + " (createConnection(username, password)); without it the connection is anonymous.")
    private String username;
    @UriParam(label = "security", secret = true, description = "The password of username.")
    private String password;
    @UriParam(label = "advanced", description = "Which Camel headers become JMS properties and back.")
    private HeaderFilterStrategy headerFilterStrategy;

    public SpreadConfiguration copy() {
        try {
            return (SpreadConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public SpreadDestinationType getDestinationType() {
        return destinationType;
    }

    public void setDestinationType(SpreadDestinationType destinationType) {
        this.destinationType = destinationType;
    }

    public String getDestinationName() {
        return destinationName;
    }

    public void setDestinationName(String destinationName) {
        this.destinationName = destinationName;
    }

    public ConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public ServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(ServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public boolean isRaw() {
        return raw;
    }

    public void setRaw(boolean raw) {
        this.raw = raw;
    }

    public int getMessageType() {
        return messageType;
    }

    public void setMessageType(int messageType) {
        this.messageType = messageType;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public boolean isSelfDiscard() {
        return selfDiscard;
    }

    public void setSelfDiscard(boolean selfDiscard) {
        this.selfDiscard = selfDiscard;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public SpreadAcknowledgementMode getAcknowledgementMode() {
        return acknowledgementMode;
    }

    public void setAcknowledgementMode(SpreadAcknowledgementMode acknowledgementMode) {
        this.acknowledgementMode = acknowledgementMode;
    }

    public boolean isTransacted() {
        return transacted;
    }

    public void setTransacted(boolean transacted) {
        this.transacted = transacted;
    }

    public boolean isDisableReplyTo() {
        return disableReplyTo;
    }

    public void setDisableReplyTo(boolean disableReplyTo) {
        this.disableReplyTo = disableReplyTo;
    }

    public String getDeserializationAllowlist() {
        return deserializationAllowlist;
    }

    public void setDeserializationAllowlist(String deserializationAllowlist) {
        this.deserializationAllowlist = deserializationAllowlist;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public String getReplyTo() {
        return replyTo;
    }

    public void setReplyTo(String replyTo) {
        this.replyTo = replyTo;
    }

    public boolean isDeliveryPersistent() {
        return deliveryPersistent;
    }

    public void setDeliveryPersistent(boolean deliveryPersistent) {
        this.deliveryPersistent = deliveryPersistent;
    }

    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }
}
