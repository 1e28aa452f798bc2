// libsrtp2 (Debian's build on NSS) for Swift.
#ifndef GATEHOUSE_CSRTP_SHIM_H
#define GATEHOUSE_CSRTP_SHIM_H

#include <srtp2/srtp.h>

// Note: srtp_init() must run once per process; a second call returns srtp_err_status_bad_param.

// srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 is a function-like macro (an alias of
// srtp_crypto_policy_set_rtp_default), so Swift cannot see it; this keeps the RFC 4568 name usable.
static inline void gh_srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_rtp_default(p);
}

#endif
