import SDP

/// The SRTP master keys a finished DTLS-SRTP handshake yields for one leg (RFC 5764 §4.2).
///
/// `local` is what this side protects its outgoing packets with, `remote` what it unprotects incoming ones with;
/// the peer holds the same two the other way round. The description never shows key material, so a log line of
/// an association's state leaks nothing.
public struct DTLSSRTPKeys: Sendable, Hashable, CustomStringConvertible {
    public var profile: DTLSSRTPProfile
    public var localKey: [UInt8]
    public var localSalt: [UInt8]
    public var remoteKey: [UInt8]
    public var remoteSalt: [UInt8]

    public init(
        profile: DTLSSRTPProfile, localKey: [UInt8], localSalt: [UInt8], remoteKey: [UInt8], remoteSalt: [UInt8]
    ) {
        self.profile = profile
        self.localKey = localKey
        self.localSalt = localSalt
        self.remoteKey = remoteKey
        self.remoteSalt = remoteSalt
    }

    /// Splits exported keying material of `2 × (key + salt)` bytes (RFC 5764 §4.2):
    ///
    ///     client_write_SRTP_master_key[key] server_write_SRTP_master_key[key]
    ///     client_write_SRTP_master_salt[salt] server_write_SRTP_master_salt[salt]
    ///
    /// The client writes with the client key and salt. Nil when `material` has the wrong length.
    public init?(splitting material: [UInt8], profile: DTLSSRTPProfile, role: DTLSRole) {
        let key = profile.keyLength
        let salt = profile.saltLength
        guard material.count == Self.materialLength(for: profile) else { return nil }
        let clientKey = Array(material[0..<key])
        let serverKey = Array(material[key..<2 * key])
        let clientSalt = Array(material[2 * key..<2 * key + salt])
        let serverSalt = Array(material[2 * key + salt..<2 * (key + salt)])
        switch role {
        case .client:
            self.init(
                profile: profile, localKey: clientKey, localSalt: clientSalt, remoteKey: serverKey,
                remoteSalt: serverSalt)
        case .server:
            self.init(
                profile: profile, localKey: serverKey, localSalt: serverSalt, remoteKey: clientKey,
                remoteSalt: clientSalt)
        }
    }

    /// Bytes to export for `profile`: both directions' key and salt.
    public static func materialLength(for profile: DTLSSRTPProfile) -> Int {
        2 * (profile.keyLength + profile.saltLength)
    }

    /// The local master key followed by its salt, the layout libsrtp's policy takes.
    public var localKeySalt: [UInt8] { localKey + localSalt }

    /// The remote master key followed by its salt.
    public var remoteKeySalt: [UInt8] { remoteKey + remoteSalt }

    public var description: String { "DTLSSRTPKeys(\(profile), keys redacted)" }
}
