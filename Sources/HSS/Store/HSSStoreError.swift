/// Why the subscriber store refused an operation or failed (STYLE rule 4): a `code` that callers and tests key on
/// and a human `detail` for the log line. Codes are static lets on an open struct, so a PostgreSQL store can add its
/// own without breaking a caller's `switch`.
///
/// Secrets never appear in `detail`: it names the subscriber and the field, not the value.
public struct HSSStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

extension HSSStoreError.Code {
    /// A public identity (or wildcard) of the subscriber being stored belongs to another subscriber.
    public static let identityTaken = Self(rawValue: "identity-taken")
    /// The subscriber cannot be stored as given: no public identity, an identity listed twice, a secret of the
    /// wrong length, a service profile named but not provisioned, a preferred scheme its credentials cannot serve.
    public static let invalidSubscriber = Self(rawValue: "invalid-subscriber")
    /// The operation names a subscriber the store does not hold.
    public static let unknownSubscriber = Self(rawValue: "unknown-subscriber")
    /// A registration names a public identity no subscriber owns.
    public static let unknownIdentity = Self(rawValue: "unknown-identity")
    /// A binding handed to `replaceBindings(of:with:)` is for another public identity.
    public static let invalidBinding = Self(rawValue: "invalid-binding")
    /// What the database holds does not make a valid model value (bad hex, an unknown state name, broken JSON).
    public static let corrupt = Self(rawValue: "corrupt")
    /// The database could not be opened, read or written.
    public static let io = Self(rawValue: "io")
}
