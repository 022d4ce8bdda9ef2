package io.palisade.app.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An {@link SSLSocketFactory} whose sockets carry the given parameters (protocols, cipher suites, host-name
 * verification): {@code HttpsURLConnection} takes a socket factory, not parameters.
 */
final class ParameterizedSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final SSLParameters parameters;

    ParameterizedSocketFactory(SSLSocketFactory delegate, SSLParameters parameters) {
        this.delegate = delegate;
        this.parameters = parameters;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return parameters.getCipherSuites().clone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return parameters.getCipherSuites().clone();
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        return configured(delegate.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
        return configured(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return configured(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return configured(delegate.createSocket(address, port, localAddress, localPort));
    }

    private Socket configured(Socket socket) {
        ((SSLSocket) socket).setSSLParameters(parameters);
        return socket;
    }
}
