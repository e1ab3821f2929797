package org.spreadjms.camel;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Which headers cross between Camel and JMS properties. Camel's own headers ({@code Camel*}) stay inside Camel, and
 * so do the JMS headers ({@code JMS*}, {@code JMSX*}): those are mapped explicitly, not as properties.
 */
public class SpreadHeaderFilterStrategy extends DefaultHeaderFilterStrategy {
    public SpreadHeaderFilterStrategy() {
        setOutFilterStartsWith("Camel", "camel", "org.apache.camel.", "JMS");
        setInFilterStartsWith("Camel", "camel", "org.apache.camel.");
    }
}
