package org.spreadjms.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;

/** A message whose body is a String. */
public final class SpreadTextMessage extends SpreadMessage implements TextMessage {
    private String text;

    @Override
    int bodySizeHint() {
        return text == null ? 0 : text.length() * 2;
    }

    public SpreadTextMessage() {
    }

    public SpreadTextMessage(String text) {
        this.text = text;
    }

    @Override
    public BodyType bodyType() {
        return BodyType.TEXT;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    boolean hasBody() {
        return text != null;
    }

    @Override
    boolean isBodyAssignable(Class<?> c) {
        return c != null && c.isAssignableFrom(String.class);
    }

    @Override
    Object bodyValue() {
        return text;
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadTextMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
        ((SpreadTextMessage) target).text = text;
    }
}
