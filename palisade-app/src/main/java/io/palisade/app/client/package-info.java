/** The CLI's client of the REST API, over HTTPS with the CA and admin token from the data directory. */
package io.palisade.app.client;
