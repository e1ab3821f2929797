package org.spreadjms.jms.message;

/** The six JMS message body types, with the value that tags them in a {@link MessageEnvelope}. */
public enum BodyType {
    MESSAGE(0),
    BYTES(1),
    TEXT(2),
    MAP(3),
    OBJECT(4),
    STREAM(5);

    private static final BodyType[] BY_WIRE = values();

    private final int wireValue;

    BodyType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The envelope's body type byte. */
    public int wireValue() {
        return wireValue;
    }

    /** The body type for an envelope byte, or null if unknown. */
    public static BodyType fromWire(int value) {
        return value >= 0 && value < BY_WIRE.length ? BY_WIRE[value] : null;
    }
}
