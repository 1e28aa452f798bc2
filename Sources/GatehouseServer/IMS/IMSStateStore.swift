import Foundation
import GatehousePolicy
import HSS

/// Opens the HSS's store where the policy's `node.state` says: `sqlite:PATH` (relative paths against the policy
/// file's directory, as for certificates). A PostgreSQL URL is refused for now: the store protocol allows one, no
/// implementation exists yet.
enum IMSStateStore {
    struct Unsupported: Error, CustomStringConvertible {
        var location: String
        var description: String {
            "node.state '\(location)': only sqlite:PATH is supported (a PostgreSQL store is not implemented yet)"
        }
    }

    /// The file a `sqlite:` location names, resolved against `directory`.
    static func sqlitePath(_ location: String, directory: String) throws -> String {
        guard location.hasPrefix("sqlite:") else { throw Unsupported(location: location) }
        let path = String(location.dropFirst("sqlite:".count))
        guard !path.isEmpty else { throw Unsupported(location: location) }
        return path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).path
    }

    static func open(_ location: String, directory: String) throws -> SQLiteSubscriberStore {
        try SQLiteSubscriberStore(path: sqlitePath(location, directory: directory))
    }
}
