package org.spreadjms.store;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.spreadjms.client.ServiceType;
import org.spreadjms.client.SpreadConnection;
import org.spreadjms.jms.store.MalformedStoreFrameException;
import org.spreadjms.jms.store.MessageKey;
import org.spreadjms.jms.store.PersistentMessages;
import org.spreadjms.jms.store.StoreControlCodec;
import org.spreadjms.jms.store.StoreFrame;
import org.spreadjms.jms.store.StoredMessage;

/**
 * Stored JMS messages found expired while forwarding or re-publishing a page: they are not sent, and an ACKED frame
 * (SAFE, in the destination's group) deletes them at every store member, at the same point of the stream.
 */
final class Expired {
    private static final Logger LOG = LoggerFactory.getLogger(Expired.class);
    /** Keys per ACKED frame (well inside a Spread message). */
    private static final int MAX_KEYS = 200;

    private final SpreadConnection connection;
    private final String group;
    private final List<MessageKey> keys = new ArrayList<>();

    Expired(SpreadConnection connection, String group) {
        this.connection = connection;
        this.group = group;
    }

    /** Whether {@code m} expired (then it is noted for deletion). */
    boolean skip(StoredMessage m) {
        if (m.messType() != PersistentMessages.JMS_ENVELOPE) {
            return false;
        }
        try {
            if (!PersistentMessages.jmsHeader(m.payload()).expiredAt(System.currentTimeMillis())) {
                return false;
            }
        } catch (MalformedStoreFrameException e) {
            return false;
        }
        keys.add(m.key());
        if (keys.size() >= MAX_KEYS) {
            delete();
        }
        return true;
    }

    /** Sends the ACKED frame for what was noted. */
    void delete() {
        if (keys.isEmpty()) {
            return;
        }
        try {
            connection.multicast(ServiceType.SAFE, group, StoreControlCodec.MESS_TYPE,
                    StoreControlCodec.encode(new StoreFrame.Acked(group, keys)));
            LOG.debug("{}: {} expired message(s) of {} deleted", connection.privateGroup(), keys.size(), group);
        } catch (Exception e) {
            LOG.warn("{}: could not delete {} expired message(s) of {}: {}", connection.privateGroup(), keys.size(),
                    group, e.toString());
        }
        keys.clear();
    }
}
