package org.spreadjms.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

/** The daemon half of SCRAM-SHA-256 for scripted tests, with a fixed salt and server nonce. */
final class ScramTestServer {
    private static final ScramMechanism M = ScramMechanism.SCRAM_SHA_256;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    ScramTestServer(String password) {
        byte[] salted = ScramFunctions.saltedPassword(M, StringPreparation.SASL_PREPARATION, password.toCharArray(),
                salt, 4096);
        storedKey = ScramFunctions.storedKey(M, ScramFunctions.clientKey(M, salted));
        serverKey = ScramFunctions.serverKey(M, salted);
    }

    String serverFirst(String clientFirst) throws Exception {
        ClientFirstMessage m = ClientFirstMessage.parseFrom(clientFirst);
        clientFirstBare = clientFirst.substring(clientFirst.indexOf("n=", 3));
        nonce = m.getClientNonce() + "SERVERNONCE";
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=4096";
        return serverFirst;
    }

    /** The server-final message: the signature if the proof is right, else {@code e=invalid-proof}. */
    String serverFinal(String clientFinal, boolean corruptSignature) {
        int p = clientFinal.lastIndexOf(",p=");
        String withoutProof = clientFinal.substring(0, p);
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        if (!ScramFunctions.verifyClientProof(M, proof, storedKey, authMessage)) {
            return "e=invalid-proof";
        }
        byte[] sig = ScramFunctions.serverSignature(M, serverKey, authMessage);
        if (corruptSignature) {
            sig[0] ^= 1;
        }
        return "v=" + Base64.getEncoder().encodeToString(sig);
    }
}
