package org.spreadjms.client;

/**
 * Spread's service levels, each carrying its bit in the message type word.
 *
 * <p>What they promise between the clients of a Spread configuration: UNRELIABLE may be lost; RELIABLE is
 * delivered while the connection lives, in no promised order; FIFO keeps each sender's order; CAUSAL keeps causal
 * order; AGREED gives one total order at every receiver, consistent with membership changes; SAFE is AGREED plus
 * delivery only once every daemon holds the message.
 */
public enum ServiceType {
    UNRELIABLE(SpreadConstants.UNRELIABLE_MESS),
    RELIABLE(SpreadConstants.RELIABLE_MESS),
    FIFO(SpreadConstants.FIFO_MESS),
    CAUSAL(SpreadConstants.CAUSAL_MESS),
    AGREED(SpreadConstants.AGREED_MESS),
    SAFE(SpreadConstants.SAFE_MESS);

    private final int bit;

    ServiceType(int bit) {
        this.bit = bit;
    }

    /** The bit of this service level in the type word. */
    public int bit() {
        return bit;
    }

    /**
     * The service level of a received type word: the strongest bit set (the daemon passes the sender's word through,
     * so a foreign sender may have set several).
     *
     * @return the level, or {@code null} if the word has no service bit
     */
    public static ServiceType fromTypeWord(int type) {
        ServiceType found = null;
        for (ServiceType t : values()) {
            if ((type & t.bit) != 0) {
                found = t;
            }
        }
        return found;
    }
}
