package org.spreadjms.jms.message;

/** A message without a body ({@code Session.createMessage()}): headers and properties only. */
public final class SpreadPlainMessage extends SpreadMessage {
    public SpreadPlainMessage() {
    }

    @Override
    public BodyType bodyType() {
        return BodyType.MESSAGE;
    }

    @Override
    boolean hasBody() {
        return false;
    }

    @Override
    boolean isBodyAssignable(Class<?> c) {
        return true;
    }

    @Override
    Object bodyValue() {
        return null;
    }

    @Override
    void clearBodyContent() {
    }

    @Override
    SpreadMessage newInstance() {
        return new SpreadPlainMessage();
    }

    @Override
    void copyBodyTo(SpreadMessage target) {
    }
}
