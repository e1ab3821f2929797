package org.spreadjms.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.TextMessage;

/** Turns message bodies into one printable line. */
final class MessageText {
    private static final int HEX_PREVIEW_BYTES = 32;

    private MessageText() {
    }

    /** A JMS message's body: text as is, bytes as UTF-8 when they are, a map as {@code {k=v, ...}}. */
    static String of(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return String.valueOf(t.getText());
        }
        if (m instanceof BytesMessage b) {
            byte[] data = new byte[(int) b.getBodyLength()];
            b.readBytes(data);
            return of(data);
        }
        if (m instanceof MapMessage map) {
            List<String> names = new ArrayList<>();
            for (Enumeration<?> e = map.getMapNames(); e.hasMoreElements(); ) {
                names.add((String) e.nextElement());
            }
            Collections.sort(names);
            StringBuilder s = new StringBuilder("{");
            for (String n : names) {
                s.append(s.length() > 1 ? ", " : "").append(n).append('=').append(map.getObject(n));
            }
            return s.append('}').toString();
        }
        if (m instanceof ObjectMessage o) {
            return "<ObjectMessage " + o.getObject() + ">";
        }
        return "<" + m.getClass().getSimpleName() + ">";
    }

    /** Bytes as text when they are well-formed UTF-8 without control characters, else a hex preview. */
    static String of(byte[] data) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
            if (s.chars().noneMatch(c -> c < 0x20 && c != '\t')) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // not text: shown as hex below
        }
        int n = Math.min(data.length, HEX_PREVIEW_BYTES);
        return "<" + data.length + " bytes: " + HexFormat.ofDelimiter(" ").formatHex(data, 0, n)
                + (data.length > n ? " ..." : "") + ">";
    }

    /** Size of a JMS message's body in bytes (text as UTF-8), for rates. */
    static long sizeOf(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText() == null ? 0 : t.getText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (m instanceof BytesMessage b) {
            return b.getBodyLength();
        }
        return 0;
    }
}
