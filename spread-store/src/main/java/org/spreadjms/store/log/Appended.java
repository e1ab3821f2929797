package org.spreadjms.store.log;

/**
 * The outcome of an append once it is durable.
 *
 * @param sequence  the message's sequence in its destination
 * @param duplicate true when the log already held a message with this key (the first one's sequence is given and
 *                  nothing was written)
 */
public record Appended(long sequence, boolean duplicate) {
}
