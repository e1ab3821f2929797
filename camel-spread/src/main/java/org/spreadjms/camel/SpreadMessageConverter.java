package org.spreadjms.camel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.jms.destination.SpreadDestination;
import org.spreadjms.jms.message.SpreadMessage;
import org.spreadjms.jms.message.SpreadObjectMessage;

/**
 * Converts between JMS messages and Camel messages: bodies by type, JMS headers by name, JMS properties through the
 * endpoint's HeaderFilterStrategy, and the Spread-specific {@link SpreadConstants} headers.
 *
 * <p>Header names that are not Java identifiers are encoded as camel-jms does by default ({@code .} as
 * {@code _DOT_}, {@code -} as {@code _HYPHEN_}), so the two components read each other's properties.
 */
final class SpreadMessageConverter {
    private static final Logger LOG = LoggerFactory.getLogger(SpreadMessageConverter.class);

    private final SpreadEndpoint endpoint;

    SpreadMessageConverter(SpreadEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    // ---- JMS -> Camel

    /** Fills a Camel message (body and headers) from a received JMS message. */
    void toCamel(Message jms, org.apache.camel.Message camel) throws JMSException {
        Exchange exchange = camel.getExchange();
        if (jms instanceof MapMessage map && isMembership()) {
            membership(map, camel);
        } else {
            camel.setBody(body(jms));
        }
        camel.setHeader("JMSMessageID", jms.getJMSMessageID());
        camel.setHeader("JMSCorrelationID", jms.getJMSCorrelationID());
        camel.setHeader("JMSDestination", jms.getJMSDestination());
        camel.setHeader("JMSReplyTo", jms.getJMSReplyTo());
        camel.setHeader("JMSType", jms.getJMSType());
        camel.setHeader("JMSTimestamp", jms.getJMSTimestamp());
        camel.setHeader("JMSPriority", jms.getJMSPriority());
        camel.setHeader("JMSDeliveryMode", jms.getJMSDeliveryMode());
        camel.setHeader("JMSExpiration", jms.getJMSExpiration());
        camel.setHeader("JMSRedelivered", jms.getJMSRedelivered());
        HeaderFilterStrategy filter = endpoint.getHeaderFilterStrategy();
        for (Enumeration<?> names = jms.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            Object value = jms.getObjectProperty(name);
            String key = decodeKey(name);
            if (filter == null || !filter.applyFilterToExternalHeaders(key, value, exchange)) {
                camel.setHeader(key, value);
            }
        }
        if (jms instanceof SpreadMessage s) {
            camel.setHeader(SpreadConstants.SPREAD_SENDER, s.getSpreadSender());
            camel.setHeader(SpreadConstants.SPREAD_MESSAGE_TYPE, s.getSpreadMessType());
        }
        if (!isMembership() && jms.getJMSDestination() instanceof SpreadDestination d) {
            camel.setHeader(SpreadConstants.SPREAD_GROUPS, d.spreadGroup());
        }
        if (endpoint.getConfiguration().getServiceType() != null) {
            camel.setHeader(SpreadConstants.SPREAD_SERVICE_TYPE, endpoint.getConfiguration().getServiceType());
        }
    }

    private boolean isMembership() {
        return endpoint.getConfiguration().getDestinationType() == SpreadDestinationType.membership;
    }

    private static void membership(MapMessage m, org.apache.camel.Message camel) throws JMSException {
        Map<String, Object> body = mapBody(m);
        camel.setBody(body);
        camel.setHeader(SpreadConstants.SPREAD_MEMBERSHIP_REASON, m.getString("reason"));
        camel.setHeader(SpreadConstants.SPREAD_GROUPS, m.getString("group"));
        camel.setHeader(SpreadConstants.SPREAD_VIEW_ID, m.getString("groupId"));
        camel.setHeader(SpreadConstants.SPREAD_MEMBERS, split(m.getString("members")));
        camel.setHeader(SpreadConstants.SPREAD_CHANGED_MEMBERS, split(m.getString("changedMembers")));
        camel.setHeader(SpreadConstants.SPREAD_MEMBER_COUNT, m.getInt("memberCount"));
    }

    private static List<String> split(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isEmpty()) {
            return List.of();
        }
        return List.of(commaSeparated.split(","));
    }

    private Object body(Message jms) throws JMSException {
        if (jms instanceof TextMessage t) {
            return t.getText();
        }
        if (jms instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            return bytes;
        }
        if (jms instanceof MapMessage m) {
            return mapBody(m);
        }
        if (jms instanceof ObjectMessage o) {
            String extra = endpoint.getConfiguration().getDeserializationAllowlist();
            if (extra != null && !extra.isBlank() && o instanceof SpreadObjectMessage s) {
                s.setObjectFilter(s.getObjectFilter().allow(extra.split(",")));
            }
            return o.getObject();
        }
        if (jms instanceof StreamMessage s) {
            List<Object> values = new ArrayList<>();
            try {
                while (true) {
                    values.add(s.readObject());
                }
            } catch (jakarta.jms.MessageEOFException end) {
                return values;
            }
        }
        return null;
    }

    private static Map<String, Object> mapBody(MapMessage m) throws JMSException {
        Map<String, Object> body = new LinkedHashMap<>();
        for (Enumeration<?> names = m.getMapNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            body.put(name, m.getObject(name));
        }
        return body;
    }

    // ---- Camel -> JMS

    /** A JMS message for a Camel message: body by type (bytes only when raw), JMS headers, filtered properties. */
    Message toJms(org.apache.camel.Message camel, Session session) throws JMSException, InvalidPayloadException {
        Exchange exchange = camel.getExchange();
        Message jms = createMessage(camel, session);
        String correlationId = camel.getHeader("JMSCorrelationID", String.class);
        if (correlationId != null) {
            jms.setJMSCorrelationID(correlationId);
        }
        String type = camel.getHeader("JMSType", String.class);
        if (type != null) {
            jms.setJMSType(type);
        }
        HeaderFilterStrategy filter = endpoint.getHeaderFilterStrategy();
        for (Map.Entry<String, Object> h : camel.getHeaders().entrySet()) {
            String name = h.getKey();
            Object value = h.getValue();
            if (value == null || (filter != null && filter.applyFilterToCamelHeaders(name, value, exchange))) {
                continue;
            }
            Object jmsValue = propertyValue(value);
            if (jmsValue == null) {
                LOG.debug("header {} of type {} is not a JMS property type: not sent", name,
                        value.getClass().getName());
                continue;
            }
            jms.setObjectProperty(encodeKey(name), jmsValue);
        }
        return jms;
    }

    private Message createMessage(org.apache.camel.Message camel, Session session)
            throws JMSException, InvalidPayloadException {
        Object body = camel.getBody();
        if (endpoint.getConfiguration().isRaw()) {
            BytesMessage b = session.createBytesMessage();
            byte[] bytes = body == null ? new byte[0] : camel.getMandatoryBody(byte[].class);
            b.writeBytes(bytes);
            return b;
        }
        if (body == null) {
            return session.createMessage();
        }
        if (body instanceof String || body instanceof CharSequence) {
            return session.createTextMessage(body.toString());
        }
        if (body instanceof byte[] bytes) {
            BytesMessage b = session.createBytesMessage();
            b.writeBytes(bytes);
            return b;
        }
        if (body instanceof Map<?, ?> map && isJmsMap(map)) {
            MapMessage m = session.createMapMessage();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                m.setObject((String) e.getKey(), e.getValue());
            }
            return m;
        }
        if (body instanceof Serializable s) {
            return session.createObjectMessage(s);
        }
        // streams, files, ...: whatever Camel can turn into bytes
        BytesMessage b = session.createBytesMessage();
        b.writeBytes(camel.getMandatoryBody(byte[].class));
        return b;
    }

    private static boolean isJmsMap(Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            boolean ok = v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                    || v instanceof Character || v instanceof byte[];
            if (!(e.getKey() instanceof String) || !ok) {
                return false;
            }
        }
        return true;
    }

    private static Object propertyValue(Object v) {
        if (v instanceof String || v instanceof Boolean || v instanceof Byte || v instanceof Short
                || v instanceof Integer || v instanceof Long || v instanceof Float || v instanceof Double) {
            return v;
        }
        if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
            return v.toString();
        }
        return null;
    }

    static String encodeKey(String name) {
        return name.replace(".", "_DOT_").replace("-", "_HYPHEN_");
    }

    static String decodeKey(String name) {
        return name.replace("_HYPHEN_", "-").replace("_DOT_", ".");
    }
}
