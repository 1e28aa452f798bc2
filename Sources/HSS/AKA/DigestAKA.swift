import IMSInterfaces

/// HTTP Digest with AKA, as SIP uses it to carry IMS AKA (RFC 3310; TS 33.203 §6.1, TS 24.229 §5.4.1.2).
///
/// ```
///   401/407 challenge:   algorithm=AKAv1-MD5, nonce = base64(RAND ‖ AUTN ‖ server data)      RFC 3310 §3.2
///   UE response:         digest computed as RFC 2617 with password = RES (its 8 raw bytes)    RFC 3310 §3.3
///   resync request:      auts = base64(AUTS)                                                RFC 3310 §3.4
/// ```
///
/// The nonce is the only place the UE finds RAND and AUTN, so the S-CSCF builds it from the vector and, when a
/// resynchronisation request comes back, parses its own nonce again to recover the RAND the AUTS answers.
public struct AKAv1Nonce: Hashable, Sendable {
    public var rand: RAND
    public var autn: AUTN
    /// Optional bytes after RAND ‖ AUTN that only the server interprets (RFC 3310 §3.2); empty by default.
    public var serverData: [UInt8]

    public init(rand: RAND, autn: AUTN, serverData: [UInt8] = []) {
        self.rand = rand
        self.autn = autn
        self.serverData = serverData
    }

    /// The nonce that challenges with `vector`.
    public init(_ vector: AuthenticationVector, serverData: [UInt8] = []) {
        self.init(rand: vector.rand, autn: vector.autn, serverData: serverData)
    }

    /// A `nonce` parameter value (without its quotes): base64 of at least 32 bytes. `.invalidBase64` or
    /// `.wrongLength` otherwise.
    public init(base64 text: some StringProtocol) throws(AKAError) {
        guard let bytes = Base64.decode(text) else {
            throw AKAError(.invalidBase64, "nonce: not base64")
        }
        let fixed = RAND.byteCount + AUTN.byteCount
        guard bytes.count >= fixed else {
            throw AKAError(.wrongLength, "nonce: expected at least \(fixed) bytes (RAND ‖ AUTN), got \(bytes.count)")
        }
        rand = try RAND(bytes: bytes[0..<RAND.byteCount])
        autn = try AUTN(bytes: bytes[RAND.byteCount..<fixed])
        serverData = Array(bytes[fixed...])
    }

    /// The `nonce` parameter value (to be quoted): base64(RAND ‖ AUTN ‖ server data), padded.
    public var base64: String {
        Base64.encode(rand.bytes + autn.bytes + serverData)
    }
}

extension RES {
    /// The digest password for AKAv1-MD5: RES itself, as raw bytes, not as hex (RFC 3310 §3.3). H(A1) is then
    /// MD5(username ":" realm ":" RES) with those 8 bytes in place of a password.
    public var akav1Password: [UInt8] { bytes }
}

extension AUTS {
    /// An `auts` parameter value (without its quotes): base64 of exactly 14 bytes (RFC 3310 §3.4). Padding may be
    /// left out. `.invalidBase64` or `.wrongLength` otherwise.
    public init(base64 text: some StringProtocol) throws(AKAError) {
        guard let bytes = Base64.decode(text) else {
            throw AKAError(.invalidBase64, "auts: not base64")
        }
        try self.init(bytes: bytes)
    }

    /// The `auts` parameter value (to be quoted), padded.
    public var base64: String { Base64.encode(bytes) }
}
