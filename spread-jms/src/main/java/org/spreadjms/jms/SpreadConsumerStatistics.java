package org.spreadjms.jms;

/**
 * Counters of a spread-jms message consumer; every {@code MessageConsumer} a spread-jms session creates implements
 * it: {@code ((SpreadConsumerStatistics) consumer).getDroppedMessageCount()}.
 */
public interface SpreadConsumerStatistics {
    /**
     * Messages this consumer dropped because its buffer was full ({@code consumerBufferMessages},
     * {@code consumerBufferBytes}): it did not keep up. A named queue's dropped messages are declined, so another
     * member may deliver them; a topic's are lost for this consumer. The first drop of each episode is also reported
     * to the connection's ExceptionListener (error code {@code SPREADJMS_CONSUMER_DROPPED}).
     */
    long getDroppedMessageCount();
}
