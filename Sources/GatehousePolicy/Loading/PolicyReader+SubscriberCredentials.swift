import Yams

/// Subscriber secrets. No diagnostic here quotes a value: a misplaced key or password must not end up in a log
/// because the file around it had a typo.
extension PolicyReader {
    /// The AMF used when `aka` names none: the separation bit set, as EPS requires (TS 33.401 §6.1.2) and most
    /// SIM vendors provision.
    static let defaultAMF: [UInt8] = [0x80, 0x00]

    /// `aka: { k, op | opc, amf, sqn }`: 32 hex digits for K, OP and OPc, 4 for AMF (default 8000), 12 for SQN.
    static func readAKA(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> ProvisionedSubscriber.AKA? {
        let label = "\(what) aka"
        guard
            let entries = reader.mapping(yaml, label, allowed: ["k", "op", "opc", "amf", "sqn"], required: ["k"])
        else { return nil }
        let key = entries["k"].flatMap { readHexBytes($0, "\(label).k", digits: 32, reader: &reader) }
        var operatorKey: ProvisionedSubscriber.AKA.OperatorKey?
        switch (entries["op"], entries["opc"]) {
        case (nil, nil):
            reader.report(.badCredentials, "\(label) needs 'op' or 'opc'", at: yaml)
        case (.some, let opc?):
            reader.report(.badCredentials, "\(label) takes 'op' or 'opc', not both", at: opc)
        case (let op?, nil):
            operatorKey = readHexBytes(op, "\(label).op", digits: 32, reader: &reader).map { .op($0) }
        case (nil, let opc?):
            operatorKey = readHexBytes(opc, "\(label).opc", digits: 32, reader: &reader).map { .opc($0) }
        }
        var amf: [UInt8]? = defaultAMF
        if let node = entries["amf"] { amf = readHexBytes(node, "\(label).amf", digits: 4, reader: &reader) }
        var sequenceNumber: UInt64?
        var sequenceNumberIsValid = true
        if let node = entries["sqn"] {
            let bytes = readHexBytes(node, "\(label).sqn", digits: 12, reader: &reader)
            sequenceNumber = bytes.map { $0.reduce(0) { $0 << 8 | UInt64($1) } }
            sequenceNumberIsValid = bytes != nil
        }
        guard let key, let operatorKey, let amf, sequenceNumberIsValid else { return nil }
        return ProvisionedSubscriber.AKA(
            key: key, operatorKey: operatorKey, amf: amf, sequenceNumber: sequenceNumber)
    }

    /// The realm digest credentials that name none take.
    enum DigestRealm {
        case given(String)
        /// The private identity has no realm part: `realm` is required.
        case missing
        /// The private identity is unreadable (and reported); so is the realm it would give.
        case unknown
    }

    /// `digest: { password | ha1: { md5, sha256 }, realm }`. Without `realm`, `defaultRealm`; without either, an
    /// error (an HA1 and a challenge are bound to a realm).
    static func readDigest(
        _ yaml: Node, _ what: String, defaultRealm: DigestRealm, reader: inout YAMLReader
    ) -> ProvisionedSubscriber.Digest? {
        let label = "\(what) digest"
        guard let entries = reader.mapping(yaml, label, allowed: ["password", "ha1", "realm"]) else { return nil }
        var realm: String?
        if let node = entries["realm"] {
            realm = reader.string(node, "\(label) realm")
            if realm?.isEmpty == true {
                reader.report(.badValue, "\(label) realm is empty", at: node)
                realm = nil
            }
        } else {
            switch defaultRealm {
            case .given(let text): realm = text
            case .unknown: break
            case .missing:
                reader.report(
                    .missingKey, "\(label) needs 'realm': the private identity has no realm (user@realm) to take",
                    at: yaml)
            }
        }
        var secret: ProvisionedSubscriber.Digest.Secret?
        switch (entries["password"], entries["ha1"]) {
        case (nil, nil):
            reader.report(.badCredentials, "\(label) needs 'password' or 'ha1'", at: yaml)
        case (.some, let ha1?):
            reader.report(.badCredentials, "\(label) takes 'password' or 'ha1', not both", at: ha1)
        case (let node?, nil):
            if let password = reader.string(node, "\(label) password") {
                if password.isEmpty {
                    reader.report(.badCredentials, "\(label) password is empty", at: node)
                } else {
                    secret = .password(password)
                }
            }
        case (nil, let node?):
            secret = readHA1(node, "\(label).ha1", reader: &reader).map { .ha1($0) }
        }
        guard let realm, let secret else { return nil }
        return ProvisionedSubscriber.Digest(realm: realm, secret: secret)
    }

    /// `ha1: { md5: 32 hex digits, sha256: 64 hex digits }`, at least one, kept in lower case.
    static func readHA1(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> [ProvisionedSubscriber.Digest.Hash: String]? {
        let hashes = ProvisionedSubscriber.Digest.Hash.allCases
        guard let entries = reader.mapping(yaml, what, allowed: hashes.map(\.rawValue)) else { return nil }
        guard !entries.isEmpty else {
            reader.report(.badCredentials, "\(what) needs an md5 or a sha256 value (or both)", at: yaml)
            return nil
        }
        var values: [ProvisionedSubscriber.Digest.Hash: String] = [:]
        var valid = true
        for hash in hashes {
            guard let node = entries[hash.rawValue] else { continue }
            if let text = readHexText(node, "\(what).\(hash.rawValue)", digits: hash.hexLength, reader: &reader) {
                values[hash] = text
            } else {
                valid = false
            }
        }
        return valid ? values : nil
    }

    static func readHexBytes(_ yaml: Node, _ what: String, digits: Int, reader: inout YAMLReader) -> [UInt8]? {
        guard let text = readHexText(yaml, what, digits: digits, reader: &reader) else { return nil }
        let nibbles = text.utf8.map { $0 <= UInt8(ascii: "9") ? $0 - UInt8(ascii: "0") : $0 - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
    }

    /// Exactly `digits` hex digits, in lower case. A YAML number (`amf: 8000`) is taken as the digits it is written
    /// with, so quoting does not matter.
    static func readHexText(_ yaml: Node, _ what: String, digits: Int, reader: inout YAMLReader) -> String? {
        guard case .scalar(let scalar) = yaml else {
            reader.report(.wrongType, "\(what) must be \(digits) hex digits", at: yaml)
            return nil
        }
        let text = scalar.string
        guard text.utf8.allSatisfy({ $0 < 0x80 && Character(UnicodeScalar($0)).isHexDigit }) else {
            reader.report(.badCredentials, "\(what) must be \(digits) hex digits (0-9, a-f)", at: yaml)
            return nil
        }
        guard text.utf8.count == digits else {
            reader.report(.badCredentials, "\(what) must be \(digits) hex digits, not \(text.utf8.count)", at: yaml)
            return nil
        }
        return text.lowercased()
    }
}
