/// Why an SRTP context could not be made from a key (the relay then keeps the leg's previous protection, or none,
/// and the stream's packets are dropped as unauthenticated).
public struct SRTPError: Error, Hashable, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }
        /// `srtp_init` failed its self-tests.
        public static let libraryUnavailable = Code(name: "srtp-library-unavailable")
        /// The key‖salt is not as long as the suite needs.
        public static let badKeyLength = Code(name: "srtp-bad-key-length")
        /// libsrtp refused the policy (`srtp_create`).
        public static let contextRefused = Code(name: "srtp-context-refused")
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }
}
