/**
 * The HTTPS adapter: a Netty pipeline (TLS, HTTP codec, size limits, idle timeout) in front of a
 * small router whose routes are plain functions from {@link io.palisade.control.http.HttpCall} to
 * {@link io.palisade.control.http.HttpReply}, so that every route is testable without sockets.
 */
package io.palisade.control.http;
