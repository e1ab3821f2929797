package org.spreadjms.jms.message;

import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.selector.filter.BooleanExpression;
import org.apache.activemq.artemis.selector.filter.FilterException;
import org.apache.activemq.artemis.selector.filter.Filterable;
import org.apache.activemq.artemis.selector.impl.SelectorParser;
import org.spreadjms.jms.errors.JmsErrors;

/**
 * A JMS message selector, parsed and evaluated by the ActiveMQ Artemis selector library (the full SQL-92 subset of
 * the specification). Header fields JMSDeliveryMode, JMSPriority, JMSMessageID, JMSTimestamp, JMSCorrelationID and
 * JMSType are visible to it, as the specification requires.
 */
public final class MessageSelector {
    private final String text;
    private final BooleanExpression expression;

    private MessageSelector(String text, BooleanExpression expression) {
        this.text = text;
        this.expression = expression;
    }

    /** Parses a selector; null or blank means "no selector" (returns null). */
    public static MessageSelector parse(String selector) throws InvalidSelectorException {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        try {
            return new MessageSelector(selector, SelectorParser.parse(selector));
        } catch (FilterException | RuntimeException e) {
            InvalidSelectorException ex = new InvalidSelectorException("invalid message selector '" + selector
                    + "': " + explain(selector, e));
            throw JmsErrors.withCause(ex, e);
        }
    }

    /**
     * Where and why the parser stopped: the parser's own "line 1, column N ... Encountered: X" from the cause chain,
     * with the selector marked at that column.
     */
    private static String explain(String selector, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            java.util.regex.Matcher at = COLUMN.matcher(m);
            if (at.find()) {
                int column = Integer.parseInt(at.group(1));
                int cut = m.contains("<EOF>") ? selector.length() : Math.max(0, Math.min(selector.length(), column - 1));
                String kind = t.getClass().getSimpleName().startsWith("TokenMgr") ? "cannot read a token"
                        : "unexpected input";
                int enc = m.indexOf("Encountered");
                String found = enc >= 0 ? m.substring(enc).trim() : "";
                return kind + " at column " + column + " (" + found + "): " + selector.substring(0, cut) + " >>> "
                        + selector.substring(cut);
            }
        }
        return e.getMessage() == null || e.getMessage().equals(selector) ? "not valid selector syntax"
                : e.getMessage();
    }

    private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("column (\\d+)");

    public String text() {
        return text;
    }

    public boolean matches(SpreadMessage m) {
        try {
            return expression.matches(new MessageView(m));
        } catch (FilterException | RuntimeException e) {
            return false;
        }
    }

    /** Lets the selector read a message's properties and headers. */
    private record MessageView(SpreadMessage m) implements Filterable {
        @Override
        public <T> T getBodyAs(Class<T> type) throws FilterException {
            try {
                return m.isBodyAssignableTo(type) ? m.getBody(type) : null;
            } catch (JMSException e) {
                throw new FilterException(e);
            }
        }

        @Override
        public Object getProperty(SimpleString name) {
            String n = name.toString();
            Object v;
            try {
                v = switch (n) {
                    case "JMSDeliveryMode" -> m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT ? "PERSISTENT"
                            : "NON_PERSISTENT";
                    case "JMSPriority" -> m.getJMSPriority();
                    case "JMSMessageID" -> m.getJMSMessageID();
                    case "JMSTimestamp" -> m.getJMSTimestamp();
                    case "JMSCorrelationID" -> m.getJMSCorrelationID();
                    case "JMSType" -> m.getJMSType();
                    default -> m.getObjectProperty(n);
                };
            } catch (RuntimeException e) {
                return null;
            }
            return v;
        }

        @Override
        public Object getLocalConnectionId() {
            return null;
        }
    }
}
