/**
 * Security events as SIEMs read them: CEF, LEEF 2.0, OCSF JSON, RFC 5424 syslog and Palisade's own JSON.
 * Transport-free: a formatter turns one {@link io.palisade.core.event.SecurityEvent} into one record's text;
 * how the record travels (syslog over TLS, TCP, UDP, a webhook) is another class's job.
 */
package io.palisade.control.siem;
