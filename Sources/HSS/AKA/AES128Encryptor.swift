import COpenSSL

/// The block cipher E_K of Milenage: Rijndael with 128-bit key and block, i.e. AES-128 (TS 35.206), one block at a
/// time, through OpenSSL's EVP interface with aes-128-ecb and no padding.
///
/// One EVP context per key, set up once: Milenage encrypts about six blocks per vector under the same K, and key
/// expansion is the expensive part. ECB without padding keeps no state between blocks, so the context is simply
/// reused. The context is not safe to share between threads, so this class is not `Sendable`; make one per
/// subscriber operation (it is cheap) rather than sharing one.
final class AES128Encryptor {
    private let context: OpaquePointer

    init(key: Block128) throws(AKAError) {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw AKAError(.cryptoFailure, "EVP_CIPHER_CTX_new failed")
        }
        let ready = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { keyBytes in
            key.store(into: keyBytes, at: 0)
            defer { keyBytes.update(repeating: 0) }
            return EVP_EncryptInit_ex(context, EVP_aes_128_ecb(), nil, keyBytes.baseAddress, nil) == 1
                && EVP_CIPHER_CTX_set_padding(context, 0) == 1
        }
        guard ready else {
            EVP_CIPHER_CTX_free(context)
            ERR_clear_error()
            throw AKAError(.cryptoFailure, "EVP_EncryptInit_ex(aes-128-ecb) failed")
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// E_K(block). Input and output stay in a stack buffer: no allocation, no copies through `Array` or `String`.
    func encrypt(_ block: Block128) -> Block128 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            block.store(into: buffer, at: 0)
            var written: Int32 = 0
            let ok = EVP_EncryptUpdate(context, buffer.baseAddress! + 16, &written, buffer.baseAddress!, 16)
            // With a context that initialised, one whole block in ECB without padding cannot fail: a failure here
            // means OpenSSL itself is broken, and a wrong answer would be worse than stopping.
            precondition(ok == 1 && written == 16, "EVP_EncryptUpdate(aes-128-ecb) failed on one block")
            return Block128(loading: buffer, at: 16)
        }
    }
}
