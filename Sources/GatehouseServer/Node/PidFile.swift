import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The file a serving node writes its process id to, so that `gatehouse reload` can find it.
public enum PidFile {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Writes this process's id (and a newline) to `path`, replacing what was there.
    public static func write(_ path: String) throws {
        do {
            try "\(getpid())\n".write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Error(path: path, reason: "cannot write the pid file: \(error.localizedDescription)")
        }
    }

    /// The process id in `path`.
    public static func read(_ path: String) throws -> pid_t {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw Error(
                path: path,
                reason: exists ? "cannot read the pid file" : "no pid file (is the node running with --pid-file?)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text), pid > 0 else {
            throw Error(path: path, reason: "not a process id: '\(text.prefix(40))'")
        }
        return pid
    }

    /// Sends `signal` to the process whose id is in `path`; returns the id.
    @discardableResult
    public static func signal(_ signal: Int32, toProcessIn path: String) throws -> pid_t {
        let pid = try read(path)
        guard kill(pid, signal) == 0 else {
            let code = errno
            let reason =
                code == ESRCH
                ? "process \(pid) is not running (a stale pid file: the node stopped or crashed)"
                : "cannot signal process \(pid): \(String(cString: strerror(code)))"
            throw Error(path: path, reason: reason)
        }
        return pid
    }

    /// Removes `path` if it still holds this process's id.
    public static func remove(_ path: String) {
        if (try? read(path)) == getpid() { try? FileManager.default.removeItem(atPath: path) }
    }
}
