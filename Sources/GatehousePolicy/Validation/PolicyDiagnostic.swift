/// One problem found in a policy file, located to the line and column, in the form compilers use:
/// `policies/lab.yaml:12:7: unknown-key: 'lisen' is not a key of a realm (expected: listen, media)`.
public struct PolicyDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let yamlSyntax = Code(rawValue: "yaml-syntax")
        public static let unknownKey = Code(rawValue: "unknown-key")
        public static let missingKey = Code(rawValue: "missing-key")
        public static let duplicateKey = Code(rawValue: "duplicate-key")
        public static let wrongType = Code(rawValue: "wrong-type")
        public static let badValue = Code(rawValue: "bad-value")
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        public static let badListener = Code(rawValue: "bad-listener")
        public static let duplicateListener = Code(rawValue: "duplicate-listener")
        public static let badAddress = Code(rawValue: "bad-address")
        public static let badPortRange = Code(rawValue: "bad-port-range")
        public static let overlappingPortRange = Code(rawValue: "overlapping-port-range")
        public static let badName = Code(rawValue: "bad-name")
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var code: Code
    public var message: String

    public init(file: String, line: Int, column: Int, code: Code, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(code): \(message)" }
}

/// A policy file that cannot be used, with every problem found in it (not just the first).
public struct PolicyValidationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [PolicyDiagnostic]

    public init(diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
