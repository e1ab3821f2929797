package org.spreadjms.camel;

import java.util.HashMap;
import java.util.Map;

import jakarta.jms.ConnectionFactory;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HeaderFilterStrategyComponent;
import org.spreadjms.jms.SpreadConnectionFactory;

/**
 * The {@code spread:} component: turns {@code spread:topic:NAME}, {@code spread:queue:NAME} and
 * {@code spread:membership:NAME} into endpoints, and keeps one shared connection per ConnectionFactory.
 */
@Component("spread")
public class SpreadComponent extends HeaderFilterStrategyComponent {
    @Metadata(label = "common", description = "The JMS ConnectionFactory every endpoint uses unless it names its own.")
    private ConnectionFactory connectionFactory;
    @Metadata(label = "common", description = "A spread://host:port URI (with spread-jms options) every endpoint uses unless it names"
            + " its own connectionFactory or url.")
    private String url;

    private final Map<Object, SharedConnection> connections = new HashMap<>();

    public SpreadComponent() {
        setHeaderFilterStrategy(new SpreadHeaderFilterStrategy());
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        if (colon <= 0 || colon == remaining.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + uri + "' must name a destination: spread:topic:NAME,"
                    + " spread:queue:NAME or spread:membership:NAME");
        }
        SpreadConfiguration configuration = new SpreadConfiguration();
        configuration.setDestinationType(SpreadDestinationType.of(remaining.substring(0, colon)));
        configuration.setDestinationName(remaining.substring(colon + 1));
        configuration.setConnectionFactory(connectionFactory);
        configuration.setUrl(url);
        configuration.setHeaderFilterStrategy(getHeaderFilterStrategy());
        SpreadEndpoint endpoint = new SpreadEndpoint(uri, this, configuration);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    /** The shared connection for an endpoint's configuration: its factory bean, or one built from its url. */
    synchronized SharedConnection connectionFor(SpreadConfiguration c) {
        if (c.getConnectionFactory() != null) {
            return connections.computeIfAbsent(java.util.Arrays.asList(c.getConnectionFactory(), c.getUsername(),
                    c.getPassword()), f -> new SharedConnection(c.getConnectionFactory(), c.getUsername(),
                    c.getPassword()));
        }
        if (c.getUrl() == null) {
            throw new IllegalArgumentException("no connectionFactory and no url: set one on the spread component or"
                    + " the endpoint (url=spread://host:port)");
        }
        return connections.computeIfAbsent(java.util.Arrays.asList(c.getUrl(), c.getUsername(), c.getPassword()),
                u -> new SharedConnection(new SpreadConnectionFactory(c.getUrl()), c.getUsername(), c.getPassword()));
    }

    public ConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }
}
