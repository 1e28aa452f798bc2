// libsrtp's AES counter mode and HMAC-SHA1 on OpenSSL, for Debian's libsrtp2, which is built on NSS.
#ifndef GATEHOUSE_SRTP_OPENSSL_H
#define GATEHOUSE_SRTP_OPENSSL_H

// Replaces libsrtp's AES-ICM-128, AES-ICM-256 and HMAC-SHA1 with the implementations of this file; call once,
// after srtp_init() and before any srtp_create(). Returns 0 (srtp_err_status_ok) or libsrtp's error status (a
// self-test that failed, in which case libsrtp keeps its own).
//
// Why: the NSS backend creates a PKCS#11 context (a softoken session) for every packet's IV, and softoken finds a
// free session handle by walking a hash chain whose length grows with the sessions alive, one or more per SRTP
// stream; at 1000 streams that walk was a quarter of the relay's time. Here a cipher keeps one EVP context for its
// life and only resets the IV per packet (AES-NI through OpenSSL), and HMAC keeps its keyed inner and outer SHA-1
// states and copies them per packet: nothing is allocated per packet.
int gh_srtp_use_openssl(void);

#endif
