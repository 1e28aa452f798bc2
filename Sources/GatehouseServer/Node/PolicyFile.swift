import Foundation

/// Reads a policy file from disk. Kept apart from `GatehousePolicy`, which is pure and takes text.
public enum PolicyFile {
    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }

    public static func read(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw ReadError(path: path, reason: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ReadError(path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
