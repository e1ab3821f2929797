package org.spreadjms.camel;

import java.util.StringJoiner;

import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;
import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.SpreadConnectionFactory;

/** Send to and consume from Spread groups through spread-jms: topics, competing-consumer queues, membership. */
@UriEndpoint(firstVersion = "4.14.0", scheme = "spread", title = "Spread", syntax = "spread:destinationType:destinationName",
        category = { Category.MESSAGING }, headersClass = SpreadConstants.class)
public class SpreadEndpoint extends DefaultEndpoint implements HeaderFilterStrategyAware, MultipleConsumersSupport {
    /** The prefix spread-jms gives the advisory topic of a group's membership. */
    static final String MEMBERSHIP_TOPIC_PREFIX = "Spread.Membership.";

    @UriParam
    private final SpreadConfiguration configuration;
    private SpreadMessageConverter converter;

    public SpreadEndpoint(String uri, SpreadComponent component, SpreadConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public SpreadComponent getComponent() {
        return (SpreadComponent) super.getComponent();
    }

    public SpreadConfiguration getConfiguration() {
        return configuration;
    }

    /** Fails fast, at endpoint creation, on values no producer or consumer could use. */
    void validate() {
        SpreadConfiguration c = configuration;
        if (c.getConcurrentConsumers() < 1) {
            throw new IllegalArgumentException("concurrentConsumers must be at least 1, was "
                    + c.getConcurrentConsumers());
        }
        if (c.getRequestTimeout() <= 0) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + c.getRequestTimeout());
        }
        if (c.getMessageType() < 0 || c.getMessageType() > 0xFFFF) {
            throw new IllegalArgumentException("messageType " + c.getMessageType() + " is outside 0..65535");
        }
        if (c.getConnectionFactory() == null && c.getUrl() != null) {
            // parses the URI: a bad option fails here, naming it
            new SpreadConnectionFactory(c.getUrl());
        }
    }

    @Override
    public Producer createProducer() throws Exception {
        if (configuration.getDestinationType() == SpreadDestinationType.membership) {
            throw new UnsupportedOperationException("spread:membership endpoints only consume (membership changes"
                    + " are made by joining and leaving, not by sending); endpoint " + getEndpointUri());
        }
        return new SpreadProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SpreadConsumer consumer = new SpreadConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Several routes may consume one endpoint: each gets every topic message, or competes for queue messages. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        converter = new SpreadMessageConverter(this);
    }

    SpreadMessageConverter converter() {
        return converter;
    }

    SharedConnection sharedConnection() {
        return getComponent().connectionFor(configuration);
    }

    /** The endpoint's destination in {@code session}, with the endpoint's destination options. */
    Destination destination(Session session) throws JMSException {
        return destination(session, configuration.getServiceType(), configuration.getMessageType());
    }

    /** The destination with a service type and raw message type (per message, from headers). */
    Destination destination(Session session, ServiceType serviceType, int messageType) throws JMSException {
        String name = configuration.getDestinationName();
        return switch (configuration.getDestinationType()) {
            case topic -> session.createTopic(name + options(serviceType, messageType));
            case queue -> session.createQueue(name + options(serviceType, messageType));
            case membership -> session.createTopic(MEMBERSHIP_TOPIC_PREFIX + name);
        };
    }

    private String options(ServiceType serviceType, int messageType) {
        StringJoiner o = new StringJoiner("&", "?", "").setEmptyValue("");
        if (serviceType != null) {
            o.add("serviceType=" + serviceType.name());
        }
        if (configuration.isRaw()) {
            o.add("raw=true");
            if (messageType != 0) {
                o.add("messType=" + messageType);
            }
        }
        return o.toString();
    }

    /** Opens the shared connection, for a producer or consumer that calls {@link #releaseConnection} when done. */
    Connection acquireConnection() throws JMSException {
        return sharedConnection().acquire();
    }

    void releaseConnection() throws JMSException {
        sharedConnection().release();
    }

    @Override
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return configuration.getHeaderFilterStrategy();
    }

    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy strategy) {
        configuration.setHeaderFilterStrategy(strategy);
    }
}
