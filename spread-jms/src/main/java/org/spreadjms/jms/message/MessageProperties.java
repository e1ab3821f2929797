package org.spreadjms.jms.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

/**
 * The application properties of a message: names checked, values restricted to the JMS property types, a read-only
 * switch. Insertion order is kept so that encoding is deterministic.
 */
final class MessageProperties {
    /** Words a selector treats as keywords; none may name a property (compared ignoring case). */
    static final Set<String> RESERVED_WORDS = Set.of("NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE",
            "IN", "IS", "ESCAPE");

    /** Null until the first property is set: most messages carry none, and every message has this object. */
    private LinkedHashMap<String, Object> values;
    private boolean readOnly;

    /** Checks that {@code name} can name a property (or a selector identifier). */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name is " + (name == null ? "null" : "empty")
                    + " (a property name must be a Java identifier)");
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            throw new IllegalArgumentException("property name '" + name + "' does not start with a Java identifier"
                    + " start character");
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                throw new IllegalArgumentException("property name '" + name + "' has character '" + name.charAt(i)
                        + "' at index " + i + ", which a Java identifier cannot contain");
            }
        }
        if (RESERVED_WORDS.contains(name.toUpperCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("property name '" + name + "' is a reserved selector word "
                    + RESERVED_WORDS);
        }
    }

    void set(String name, Object value) throws MessageNotWriteableException, MessageFormatException {
        checkName(name);
        if (readOnly) {
            throw new MessageNotWriteableException("message properties are read-only (received message); call"
                    + " clearProperties() to make them writable, property '" + name + "'");
        }
        if (!TypedValues.isPropertyType(value)) {
            throw new MessageFormatException("property '" + name + "' cannot hold a " + value.getClass().getName()
                    + " (allowed: Boolean, Byte, Short, Integer, Long, Float, Double, String)");
        }
        put(name, value);
    }

    /** Stores without the writability check; the envelope decoder uses it. */
    void put(String name, Object value) {
        if (values == null) {
            values = new LinkedHashMap<>();
        }
        values.put(name, value);
    }

    Object get(String name) {
        return values == null ? null : values.get(name);
    }

    boolean contains(String name) {
        return values != null && values.containsKey(name);
    }

    Map<String, Object> asMap() {
        return values == null ? Collections.emptyMap() : Collections.unmodifiableMap(values);
    }

    void clear() {
        values = null;
        readOnly = false;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    void copyInto(MessageProperties target) {
        target.values = values == null ? null : new LinkedHashMap<>(values);
        target.readOnly = readOnly;
    }
}
