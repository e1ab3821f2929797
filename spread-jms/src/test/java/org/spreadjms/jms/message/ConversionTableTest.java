package org.spreadjms.jms.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the JMS type conversion table, for message properties, MapMessage and StreamMessage: each written
 * type read as each type, either the converted value or {@link MessageFormatException}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConversionTableTest {
    enum ReadAs { BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES }

    /** The table from the MapMessage Javadoc: which reads are allowed for each written type ("X"). */
    private static final Map<String, String> TABLE = Map.of(
            //           bool byte shrt char int  long flt  dbl  Str  byte[]
            "boolean", " X    -    -    -    -    -    -    -    X    -",
            "byte",    " -    X    X    -    X    X    -    -    X    -",
            "short",   " -    -    X    -    X    X    -    -    X    -",
            "char",    " -    -    -    X    -    -    -    -    X    -",
            "int",     " -    -    -    -    X    X    -    -    X    -",
            "long",    " -    -    -    -    -    X    -    -    X    -",
            "float",   " -    -    -    -    -    -    X    X    X    -",
            "double",  " -    -    -    -    -    -    -    X    X    -",
            "String",  " X    X    X    -    X    X    X    X    X    -",
            "byte[]",  " -    -    -    -    -    -    -    -    -    X");

    private static final Map<String, Object> SAMPLES = Map.of(
            "boolean", true, "byte", (byte) 7, "short", (short) 300, "char", 'c', "int", 70_000,
            "long", 5_000_000_000L, "float", 1.5f, "double", 2.25d, "String", "12", "byte[]", new byte[] {1, 2, 3});

    private static boolean allowed(String written, ReadAs as) {
        return TABLE.get(written).trim().split("\\s+")[as.ordinal()].equals("X");
    }

    /** What a valid read returns: the same value in the wider type, or its string form, or a parsed string. */
    private static Object expected(Object v, ReadAs as) {
        if (v instanceof String s) {
            return switch (as) {
                case BOOLEAN -> Boolean.valueOf(s);
                case BYTE -> Byte.valueOf(s);
                case SHORT -> Short.valueOf(s);
                case INT -> Integer.valueOf(s);
                case LONG -> Long.valueOf(s);
                case FLOAT -> Float.valueOf(s);
                case DOUBLE -> Double.valueOf(s);
                case STRING -> s;
                default -> throw new AssertionError(as);
            };
        }
        return switch (as) {
            case BOOLEAN, CHAR, BYTES -> v;
            case BYTE -> ((Number) v).byteValue();
            case SHORT -> ((Number) v).shortValue();
            case INT -> ((Number) v).intValue();
            case LONG -> ((Number) v).longValue();
            case FLOAT -> ((Number) v).floatValue();
            case DOUBLE -> ((Number) v).doubleValue();
            case STRING -> String.valueOf(v);
        };
    }

    static Stream<Arguments> propertyCells() {
        List<Arguments> cells = new ArrayList<>();
        for (String written : List.of("boolean", "byte", "short", "int", "long", "float", "double", "String")) {
            for (ReadAs as : ReadAs.values()) {
                if (as != ReadAs.CHAR && as != ReadAs.BYTES) {
                    cells.add(Arguments.of(written, as));
                }
            }
        }
        return cells.stream();
    }

    static Stream<Arguments> bodyCells() {
        List<Arguments> cells = new ArrayList<>();
        for (String written : TABLE.keySet()) {
            for (ReadAs as : ReadAs.values()) {
                cells.add(Arguments.of(written, as));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "property {0} read as {1}")
    @MethodSource("propertyCells")
    void propertyConversionFollowsTheTable(String written, ReadAs as) throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setObjectProperty("p", SAMPLES.get(written));
        check(written, as, () -> readProperty(m, "p", as));
    }

    @ParameterizedTest(name = "map {0} read as {1}")
    @MethodSource("bodyCells")
    void mapConversionFollowsTheTable(String written, ReadAs as) throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setObject("e", SAMPLES.get(written));
        check(written, as, () -> readMap(m, "e", as));
    }

    @ParameterizedTest(name = "stream {0} read as {1}")
    @MethodSource("bodyCells")
    void streamConversionFollowsTheTableAndKeepsThePositionOnFailure(String written, ReadAs as)
            throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeObject(SAMPLES.get(written));
        m.reset();
        check(written, as, () -> readStream(m, as));
        if (!allowed(written, as)) {
            Object again = m.readObject();
            if (again instanceof byte[] b) {
                assertArrayEquals((byte[]) SAMPLES.get(written), b);
            } else {
                assertEquals(SAMPLES.get(written), again, "position unchanged after a failed read");
            }
        }
    }

    private interface Read {
        Object read() throws JMSException;
    }

    private static void check(String written, ReadAs as, Read read) throws JMSException {
        Object v = SAMPLES.get(written);
        if (allowed(written, as)) {
            Object got = read.read();
            if (as == ReadAs.BYTES) {
                assertArrayEquals((byte[]) v, (byte[]) got);
            } else {
                assertEquals(expected(v, as), got, written + " read as " + as);
            }
        } else {
            assertThrowsExactly(MessageFormatException.class, read::read, written + " read as " + as);
        }
    }

    static Object readProperty(SpreadMessage m, String n, ReadAs as) throws JMSException {
        return switch (as) {
            case BOOLEAN -> m.getBooleanProperty(n);
            case BYTE -> m.getByteProperty(n);
            case SHORT -> m.getShortProperty(n);
            case INT -> m.getIntProperty(n);
            case LONG -> m.getLongProperty(n);
            case FLOAT -> m.getFloatProperty(n);
            case DOUBLE -> m.getDoubleProperty(n);
            case STRING -> m.getStringProperty(n);
            default -> throw new AssertionError(as);
        };
    }

    static Object readMap(SpreadMapMessage m, String n, ReadAs as) throws JMSException {
        return switch (as) {
            case BOOLEAN -> m.getBoolean(n);
            case BYTE -> m.getByte(n);
            case SHORT -> m.getShort(n);
            case CHAR -> m.getChar(n);
            case INT -> m.getInt(n);
            case LONG -> m.getLong(n);
            case FLOAT -> m.getFloat(n);
            case DOUBLE -> m.getDouble(n);
            case STRING -> m.getString(n);
            case BYTES -> m.getBytes(n);
        };
    }

    static Object readStream(SpreadStreamMessage m, ReadAs as) throws JMSException {
        return switch (as) {
            case BOOLEAN -> m.readBoolean();
            case BYTE -> m.readByte();
            case SHORT -> m.readShort();
            case CHAR -> m.readChar();
            case INT -> m.readInt();
            case LONG -> m.readLong();
            case FLOAT -> m.readFloat();
            case DOUBLE -> m.readDouble();
            case STRING -> m.readString();
            case BYTES -> {
                byte[] buf = new byte[16];
                int n = m.readBytes(buf);
                byte[] out = java.util.Arrays.copyOf(buf, n);
                if (m.readBytes(buf) != -1) {
                    fail("readBytes must return -1 after the last chunk");
                }
                yield out;
            }
        };
    }

    // ---- strings that are not numbers, and null / missing values

    @Test
    void nonNumericStringPropertyThrowsNumberFormatException() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setStringProperty("p", "abc");
        for (ReadAs as : List.of(ReadAs.BYTE, ReadAs.SHORT, ReadAs.INT, ReadAs.LONG, ReadAs.FLOAT, ReadAs.DOUBLE)) {
            assertThrowsExactly(NumberFormatException.class, () -> readProperty(m, "p", as), as.name());
        }
        assertEquals(false, m.getBooleanProperty("p"));
    }

    @Test
    void stringTrueReadsAsBooleanTrueIgnoringCase() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setString("b", "TrUe");
        assertEquals(true, m.getBoolean("b"));
    }

    @Test
    void missingPropertyReadsLikeValueOfNull() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        assertEquals(false, m.getBooleanProperty("none"));
        for (ReadAs as : List.of(ReadAs.BYTE, ReadAs.SHORT, ReadAs.INT, ReadAs.LONG)) {
            assertThrowsExactly(NumberFormatException.class, () -> readProperty(m, "none", as), as.name());
        }
        assertThrowsExactly(NullPointerException.class, () -> m.getFloatProperty("none"));
        assertThrowsExactly(NullPointerException.class, () -> m.getDoubleProperty("none"));
        assertNull(m.getStringProperty("none"));
        assertNull(m.getObjectProperty("none"));
    }

    @Test
    void nullPropertyValueExistsAndReadsLikeValueOfNull() throws JMSException {
        SpreadMessage m = new SpreadPlainMessage();
        m.setStringProperty("n", null);
        assertEquals(true, m.propertyExists("n"));
        assertNull(m.getStringProperty("n"));
        assertThrowsExactly(NumberFormatException.class, () -> m.getIntProperty("n"));
    }

    @Test
    void missingOrNullMapEntryReadsLikeValueOfNull() throws JMSException {
        SpreadMapMessage m = new SpreadMapMessage();
        m.setObject("null", null);
        for (String n : List.of("null", "missing")) {
            assertEquals(false, m.getBoolean(n));
            assertThrowsExactly(NumberFormatException.class, () -> m.getInt(n));
            assertThrowsExactly(NumberFormatException.class, () -> m.getByte(n));
            assertThrowsExactly(NullPointerException.class, () -> m.getDouble(n));
            assertThrowsExactly(NullPointerException.class, () -> m.getChar(n));
            assertNull(m.getString(n));
            assertNull(m.getBytes(n));
            assertNull(m.getObject(n));
        }
    }

    @Test
    void nullStreamValueReadsLikeValueOfNullAndKeepsPositionOnFailure() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeObject(null);
        m.writeString(null);
        m.writeBytes(null);
        m.reset();
        assertThrowsExactly(NullPointerException.class, m::readChar);
        assertThrowsExactly(NumberFormatException.class, m::readInt);
        assertThrowsExactly(NullPointerException.class, m::readFloat);
        assertEquals(false, m.readBoolean());
        assertNull(m.readString());
        assertEquals(-1, m.readBytes(new byte[4]));
    }

    @Test
    void nonNumericStreamStringThrowsNumberFormatExceptionAndKeepsPosition() throws JMSException {
        SpreadStreamMessage m = new SpreadStreamMessage();
        m.writeString("x1");
        m.reset();
        assertThrowsExactly(NumberFormatException.class, m::readLong);
        assertEquals("x1", m.readString());
    }
}
