package io.palisade.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers one client identity, for a key no key store can hold: a key that never leaves its hardware (a TPM) has
 * no encoding to put in one. Chosen only when the server accepts the key's algorithm.
 */
final class SingleIdentityKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleIdentityKeyManager(TlsContexts.ClientIdentity identity) {
        this.key = identity.key();
        this.chain = identity.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return keyTypes != null && Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return key.getAlgorithm().equals(keyType) ? new String[]{ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
