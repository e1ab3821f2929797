package org.spreadjms.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The JMS conversion table shared by message properties, MapMessage and StreamMessage (see the Javadoc of
 * {@link jakarta.jms.Message} and {@link jakarta.jms.MapMessage}): a value written as the row type may be read as the
 * column types marked; anything else is a {@link MessageFormatException}.
 *
 * <pre>
 *            boolean byte short char int long float double String byte[]
 * boolean       X                                            X
 * byte                X    X          X   X                  X
 * short                    X          X   X                  X
 * char                          X                            X
 * int                                 X   X                  X
 * long                                    X                  X
 * float                                        X     X       X
 * double                                             X       X
 * String        X     X    X          X   X    X     X       X
 * byte[]                                                            X
 * </pre>
 *
 * A String is converted with the wrapper's {@code valueOf(String)}, so a bad number throws
 * {@link NumberFormatException}. A null value (or a missing one) also goes through {@code valueOf(null)}: false for
 * boolean, {@link NumberFormatException} for the integer types, {@link NullPointerException} for float and double
 * (as {@code Float.valueOf(null)} does) and for char; null for String and byte[]. Properties never hold char or
 * byte[] values.
 */
final class TypedValues {
    private TypedValues() {
    }

    /** Whether {@code v} may be stored as a property value. */
    static boolean isPropertyType(Object v) {
        return v == null || v instanceof Boolean || v instanceof Byte || v instanceof Short || v instanceof Integer
                || v instanceof Long || v instanceof Float || v instanceof Double || v instanceof String;
    }

    /** Whether {@code v} may be stored in a MapMessage or StreamMessage. */
    static boolean isBodyType(Object v) {
        return isPropertyType(v) || v instanceof Character || v instanceof byte[];
    }

    static boolean toBoolean(Object v, String what) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.valueOf((String) v);
        }
        throw mismatch(v, "boolean", what);
    }

    static byte toByte(Object v, String what) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.valueOf((String) v);
        }
        throw mismatch(v, "byte", what);
    }

    static short toShort(Object v, String what) throws MessageFormatException {
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).shortValue();
        }
        if (v == null || v instanceof String) {
            return Short.valueOf((String) v);
        }
        throw mismatch(v, "short", what);
    }

    static char toChar(Object v, String what) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException(what + " is null and cannot be read as char");
        }
        throw mismatch(v, "char", what);
    }

    static int toInt(Object v, String what) throws MessageFormatException {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.valueOf((String) v);
        }
        throw mismatch(v, "int", what);
    }

    static long toLong(Object v, String what) throws MessageFormatException {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.valueOf((String) v);
        }
        throw mismatch(v, "long", what);
    }

    static float toFloat(Object v, String what) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null || v instanceof String) {
            return Float.valueOf((String) v);
        }
        throw mismatch(v, "float", what);
    }

    static double toDouble(Object v, String what) throws MessageFormatException {
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v == null || v instanceof String) {
            return Double.valueOf((String) v);
        }
        throw mismatch(v, "double", what);
    }

    static String toText(Object v, String what) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            throw mismatch(v, "String", what);
        }
        return v.toString();
    }

    static byte[] toBytes(Object v, String what) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw mismatch(v, "byte[]", what);
    }

    /** A defensive copy of a stored value (byte arrays are the only mutable ones). */
    static Object copyOf(Object v) {
        return v instanceof byte[] b ? b.clone() : v;
    }

    static String typeName(Object v) {
        return v == null ? "null" : v instanceof byte[] ? "byte[]" : v.getClass().getSimpleName();
    }

    private static MessageFormatException mismatch(Object v, String target, String what) {
        return new MessageFormatException(what + " holds a " + typeName(v) + " value, which cannot be read as "
                + target + " (JMS type conversion table)");
    }
}
