package org.spreadjms.jms.store;

/**
 * One message as the log holds it.
 *
 * @param destination the Spread group it was multicast to
 * @param sequence    its position in that destination, from 1, in the order the store received it
 * @param key         sender and message id
 * @param messType    the Spread message type it was sent with
 * @param payload     the bytes as sent (owned by the caller)
 */
public record StoredMessage(String destination, long sequence, MessageKey key, short messType, byte[] payload) {
}
