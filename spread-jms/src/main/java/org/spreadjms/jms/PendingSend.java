package org.spreadjms.jms;

import java.util.List;

import jakarta.jms.JMSException;

import org.spreadjms.client.ServiceType;
import org.spreadjms.jms.message.MessageEnvelope;
import org.spreadjms.jms.provider.Provider;

/** A message ready to go: its payload is the first {@code payload.length()} bytes of the encoder's buffer. */
record PendingSend(List<String> groups, ServiceType service, short messType, MessageEnvelope.Encoded payload) {
    /** The same send holding exactly its bytes (kept until commit, so no encoder slack is held). */
    PendingSend trimmed() {
        byte[] exact = payload.toByteArray();
        return exact == payload.array() ? this
                : new PendingSend(groups, service, messType, new MessageEnvelope.Encoded(exact, exact.length));
    }

    void sendWith(Provider provider) throws JMSException {
        provider.send(groups, service, messType, payload.array(), payload.length());
    }
}
