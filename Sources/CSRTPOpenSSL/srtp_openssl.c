// libsrtp cipher and auth types on OpenSSL (see include/gh_srtp_openssl.h for why).
//
// The semantics follow libsrtp's own OpenSSL backend (aes_icm_ossl.c, hmac_ossl.c), which Debian does not build:
// RFC 3711 §4.1.1 AES-CM with the 14-byte salt as the counter's offset, and RFC 2104 HMAC-SHA1 truncated to the
// tag length. The self-tests libsrtp runs on replacement (its own test vectors) check both.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "gh_srtp_openssl.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>
#include <stdlib.h>
#include <string.h>

extern const srtp_cipher_test_case_t srtp_aes_icm_128_test_case_0;
extern const srtp_cipher_test_case_t srtp_aes_icm_256_test_case_0;
extern const srtp_auth_test_case_t srtp_hmac_test_case_0;

// MARK: AES counter mode

static const srtp_cipher_type_t gh_aes_icm_128;
static const srtp_cipher_type_t gh_aes_icm_256;

typedef struct {
    uint8_t counter[16];
    uint8_t offset[16];
    int key_size;
    EVP_CIPHER_CTX *ctx;
} gh_aes_icm;

static srtp_err_status_t gh_aes_icm_alloc(srtp_cipher_t **c, int key_len, int tlen) {
    (void)tlen;
    int key_size;
    int algorithm;
    const srtp_cipher_type_t *type;
    switch (key_len) {
    case SRTP_AES_ICM_128_KEY_LEN_WSALT:
        key_size = SRTP_AES_128_KEY_LEN;
        algorithm = SRTP_AES_ICM_128;
        type = &gh_aes_icm_128;
        break;
    case SRTP_AES_ICM_256_KEY_LEN_WSALT:
        key_size = SRTP_AES_256_KEY_LEN;
        algorithm = SRTP_AES_ICM_256;
        type = &gh_aes_icm_256;
        break;
    default:
        return srtp_err_status_bad_param;
    }
    srtp_cipher_t *cipher = calloc(1, sizeof(srtp_cipher_t));
    gh_aes_icm *state = calloc(1, sizeof(gh_aes_icm));
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!cipher || !state || !ctx) {
        free(cipher);
        free(state);
        EVP_CIPHER_CTX_free(ctx);
        return srtp_err_status_alloc_fail;
    }
    state->key_size = key_size;
    state->ctx = ctx;
    cipher->state = state;
    cipher->algorithm = algorithm;
    cipher->type = type;
    cipher->key_len = key_len;
    *c = cipher;
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_aes_icm_dealloc(srtp_cipher_t *c) {
    gh_aes_icm *state = c->state;
    if (state) {
        EVP_CIPHER_CTX_free(state->ctx);
        OPENSSL_cleanse(state, sizeof(*state));
        free(state);
    }
    free(c);
    return srtp_err_status_ok;
}

// The key is followed by the 14-byte salt, which is the counter's offset (its last two octets zero).
static srtp_err_status_t gh_aes_icm_init(void *cv, const uint8_t *key) {
    gh_aes_icm *c = cv;
    memset(c->counter, 0, sizeof(c->counter));
    memset(c->offset, 0, sizeof(c->offset));
    memcpy(c->counter, key + c->key_size, SRTP_SALT_LEN);
    memcpy(c->offset, key + c->key_size, SRTP_SALT_LEN);
    const EVP_CIPHER *evp = c->key_size == SRTP_AES_256_KEY_LEN ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
    EVP_CIPHER_CTX_reset(c->ctx);
    if (!EVP_EncryptInit_ex(c->ctx, evp, NULL, key, NULL)) {
        return srtp_err_status_fail;
    }
    return srtp_err_status_ok;
}

// The counter for a packet: its IV (SSRC and index, from libsrtp) XOR the salt.
static srtp_err_status_t gh_aes_icm_set_iv(void *cv, uint8_t *iv, srtp_cipher_direction_t direction) {
    (void)direction;
    gh_aes_icm *c = cv;
    for (int i = 0; i < 16; i++) {
        c->counter[i] = c->offset[i] ^ iv[i];
    }
    if (!EVP_EncryptInit_ex(c->ctx, NULL, NULL, NULL, c->counter)) {
        return srtp_err_status_fail;
    }
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_aes_icm_encrypt(void *cv, uint8_t *buf, unsigned int *enc_len) {
    gh_aes_icm *c = cv;
    int length = 0;
    if (!EVP_EncryptUpdate(c->ctx, buf, &length, buf, (int)*enc_len)) {
        return srtp_err_status_cipher_fail;
    }
    *enc_len = (unsigned int)length;
    return srtp_err_status_ok;
}

static const srtp_cipher_type_t gh_aes_icm_128 = {
    gh_aes_icm_alloc, gh_aes_icm_dealloc, gh_aes_icm_init, NULL, gh_aes_icm_encrypt, gh_aes_icm_encrypt,
    gh_aes_icm_set_iv, NULL, "AES-128 counter mode using OpenSSL (Gatehouse)", &srtp_aes_icm_128_test_case_0,
    SRTP_AES_ICM_128,
};

static const srtp_cipher_type_t gh_aes_icm_256 = {
    gh_aes_icm_alloc, gh_aes_icm_dealloc, gh_aes_icm_init, NULL, gh_aes_icm_encrypt, gh_aes_icm_encrypt,
    gh_aes_icm_set_iv, NULL, "AES-256 counter mode using OpenSSL (Gatehouse)", &srtp_aes_icm_256_test_case_0,
    SRTP_AES_ICM_256,
};

// MARK: HMAC-SHA1

typedef struct {
    SHA_CTX inner;  // after the key XOR ipad block
    SHA_CTX outer;  // after the key XOR opad block
    SHA_CTX work;
} gh_hmac;

static const srtp_auth_type_t gh_hmac_sha1;

static srtp_err_status_t gh_hmac_alloc(srtp_auth_t **a, int key_len, int out_len) {
    if (key_len > SHA_CBLOCK || out_len > SHA_DIGEST_LENGTH) {
        return srtp_err_status_bad_param;
    }
    srtp_auth_t *auth = calloc(1, sizeof(srtp_auth_t));
    gh_hmac *state = calloc(1, sizeof(gh_hmac));
    if (!auth || !state) {
        free(auth);
        free(state);
        return srtp_err_status_alloc_fail;
    }
    auth->type = &gh_hmac_sha1;
    auth->state = state;
    auth->out_len = out_len;
    auth->key_len = key_len;
    auth->prefix_len = 0;
    *a = auth;
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_hmac_dealloc(srtp_auth_t *a) {
    if (a->state) {
        OPENSSL_cleanse(a->state, sizeof(gh_hmac));
        free(a->state);
    }
    free(a);
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_hmac_init(void *statev, const uint8_t *key, int key_len) {
    gh_hmac *state = statev;
    uint8_t pad[SHA_CBLOCK];
    if (key_len > SHA_CBLOCK) {
        return srtp_err_status_bad_param;
    }
    memset(pad, 0x36, sizeof(pad));
    for (int i = 0; i < key_len; i++) {
        pad[i] ^= key[i];
    }
    SHA1_Init(&state->inner);
    SHA1_Update(&state->inner, pad, sizeof(pad));
    memset(pad, 0x5c, sizeof(pad));
    for (int i = 0; i < key_len; i++) {
        pad[i] ^= key[i];
    }
    SHA1_Init(&state->outer);
    SHA1_Update(&state->outer, pad, sizeof(pad));
    OPENSSL_cleanse(pad, sizeof(pad));
    state->work = state->inner;
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_hmac_start(void *statev) {
    gh_hmac *state = statev;
    state->work = state->inner;
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_hmac_update(void *statev, const uint8_t *message, int length) {
    gh_hmac *state = statev;
    SHA1_Update(&state->work, message, (size_t)length);
    return srtp_err_status_ok;
}

static srtp_err_status_t gh_hmac_compute(void *statev, const uint8_t *message, int length, int tag_len,
                                         uint8_t *result) {
    gh_hmac *state = statev;
    uint8_t digest[SHA_DIGEST_LENGTH];
    if (tag_len > SHA_DIGEST_LENGTH) {
        return srtp_err_status_bad_param;
    }
    SHA1_Update(&state->work, message, (size_t)length);
    SHA1_Final(digest, &state->work);
    SHA_CTX outer = state->outer;
    SHA1_Update(&outer, digest, sizeof(digest));
    SHA1_Final(digest, &outer);
    memcpy(result, digest, (size_t)tag_len);
    return srtp_err_status_ok;
}

static const srtp_auth_type_t gh_hmac_sha1 = {
    gh_hmac_alloc, gh_hmac_dealloc, gh_hmac_init, gh_hmac_compute, gh_hmac_update, gh_hmac_start,
    "HMAC-SHA1 using OpenSSL (Gatehouse)", &srtp_hmac_test_case_0, SRTP_HMAC_SHA1,
};

// MARK: Registration

int gh_srtp_use_openssl(void) {
    srtp_err_status_t status = srtp_replace_cipher_type(&gh_aes_icm_128, SRTP_AES_ICM_128);
    if (status != srtp_err_status_ok) {
        return (int)status;
    }
    status = srtp_replace_cipher_type(&gh_aes_icm_256, SRTP_AES_ICM_256);
    if (status != srtp_err_status_ok) {
        return (int)status;
    }
    return (int)srtp_replace_auth_type(&gh_hmac_sha1, SRTP_HMAC_SHA1);
}
