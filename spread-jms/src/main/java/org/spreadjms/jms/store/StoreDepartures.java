package org.spreadjms.jms.store;

import java.util.Set;

/**
 * The departure rule shared by PERSISTENT sends ({@link StoreReceipts}) and requests to the store
 * ({@link StoreReplies}) that wait for every store member: once a store member that was in the presence group's view
 * when the wait began has left it, the wait is over when every one of those still there has answered.
 */
final class StoreDepartures {
    private StoreDepartures() {
    }

    /**
     * @param atStart  the store members in view when the wait began
     * @param now      the store members in the presence group's last view
     * @param answered the store members that answered so far
     * @return whether one of {@code atStart} left and every other one of them answered
     */
    static boolean everyRemainingMemberAnswered(Set<String> atStart, Set<String> now, Set<String> answered) {
        boolean departed = false;
        for (String m : atStart) {
            if (!now.contains(m)) {
                departed = true;
            } else if (!answered.contains(m)) {
                return false;
            }
        }
        return departed;
    }
}
