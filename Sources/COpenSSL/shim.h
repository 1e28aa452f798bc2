// System OpenSSL 3 (libssl + libcrypto) for Swift: DTLS-SRTP key exchange, digests, EC keys.
// Many OpenSSL "functions" are function-like macros over SSL_ctrl/SSL_CTX_ctrl and do not import;
// the static inline wrappers below (prefix gh_) make the ones Gatehouse needs callable.
#ifndef GATEHOUSE_COPENSSL_SHIM_H
#define GATEHOUSE_COPENSSL_SHIM_H

#include <stdint.h>
#include <sys/time.h>
#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/srtp.h>

// MARK: DTLS control macros

// SSL_set_mtu is a macro over SSL_ctrl(SSL_CTRL_SET_MTU): set the DTLS record MTU explicitly
// (used together with SSL_OP_NO_QUERY_MTU, since our BIO is not a socket).
static inline long gh_SSL_set_mtu(SSL *ssl, long mtu) {
    return SSL_set_mtu(ssl, mtu);
}

// DTLSv1_get_timeout is a macro over SSL_ctrl(DTLS_CTRL_GET_TIMEOUT): time left until the next
// DTLS retransmission; returns 1 and fills *timeout when a timer is running, else 0.
static inline long gh_DTLSv1_get_timeout(SSL *ssl, struct timeval *timeout) {
    return DTLSv1_get_timeout(ssl, timeout);
}

// DTLSv1_handle_timeout is a macro over SSL_ctrl(DTLS_CTRL_HANDLE_TIMEOUT): retransmit the last
// flight when the timer expired; 1 if retransmitted, 0 if nothing to do, -1 on error.
static inline long gh_DTLSv1_handle_timeout(SSL *ssl) {
    return DTLSv1_handle_timeout(ssl);
}

// SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl: e.g. DTLS1_2_VERSION to refuse DTLS 1.0.
// Returns 1 on success.
static inline long gh_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, long version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

// Same for the upper bound (SSL_CTX_set_max_proto_version is a macro too).
static inline long gh_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, long version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

// MARK: SSL_OP_* options
// Every SSL_OP_* is defined through the function-like macro SSL_OP_BIT(n), so none imports.
// Pass these to SSL_CTX_set_options / SSL_set_options (which are real functions in OpenSSL 3).

// Don't ask the kernel for the path MTU (our BIO is in memory / a custom datagram BIO).
static inline uint64_t gh_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
// DTLS server: require a HelloVerifyRequest cookie round trip (anti-spoofing).
static inline uint64_t gh_SSL_OP_COOKIE_EXCHANGE(void) { return SSL_OP_COOKIE_EXCHANGE; }
// No session tickets: DTLS-SRTP sessions are never resumed.
static inline uint64_t gh_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }
// No record compression (CRIME-style attacks; useless for DTLS-SRTP).
static inline uint64_t gh_SSL_OP_NO_COMPRESSION(void) { return SSL_OP_NO_COMPRESSION; }
// Refuse renegotiation of an established DTLS association.
static inline uint64_t gh_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
// Server chooses the cipher by its own preference order.
static inline uint64_t gh_SSL_OP_CIPHER_SERVER_PREFERENCE(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }
// The usual harmless bug workarounds.
static inline uint64_t gh_SSL_OP_ALL(void) { return SSL_OP_ALL; }
// Disable DTLS 1.0 (prefer gh_SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION)).
static inline uint64_t gh_SSL_OP_NO_DTLSv1(void) { return SSL_OP_NO_DTLSv1; }

// MARK: Custom datagram BIO helpers
// BIO_set_retry_read / BIO_clear_retry_flags are macros over BIO_set_flags/BIO_clear_flags; a custom
// BIO (BIO_meth_new) that emits one datagram per write needs them to signal "no data yet".
static inline void gh_BIO_set_retry_read(BIO *b) { BIO_set_retry_read(b); }
static inline void gh_BIO_set_retry_write(BIO *b) { BIO_set_retry_write(b); }
static inline void gh_BIO_clear_retry_flags(BIO *b) { BIO_clear_retry_flags(b); }

// MARK: EC keys
// EVP_EC_gen is a macro over the variadic EVP_PKEY_Q_keygen; neither imports. Generate an EC key on a
// named group (e.g. "prime256v1") the explicit way. Returns NULL on failure; free with EVP_PKEY_free.
static inline EVP_PKEY *gh_EVP_EC_gen(const char *group) {
    EVP_PKEY *pkey = NULL;
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (pctx == NULL) return NULL;
    if (EVP_PKEY_keygen_init(pctx) <= 0
        || EVP_PKEY_CTX_set_group_name(pctx, group) <= 0
        || EVP_PKEY_generate(pctx, &pkey) <= 0) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(pctx);
    return pkey;
}

#endif
