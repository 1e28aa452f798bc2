import Foundation
import GRDB
import IMSInterfaces

/// The embedded subscriber store: one SQLite database file (or memory, for tests and `check`), through GRDB.
///
/// A file is opened as a `DatabasePool` in WAL mode, so lookups read a snapshot while a write is under way; memory
/// uses a `DatabaseQueue`. Every write runs in one `BEGIN IMMEDIATE` transaction (GRDB's `write`), which takes
/// SQLite's write lock up front: two read-modify-writes (two MARs taking SQNs) never interleave, whether they come
/// from two threads of this process or from another process on the same file (`gatehouse hss …` while the node
/// runs), which waits up to `busyTimeout` for the lock.
///
/// The schema and its migrations are in `SQLiteSchema`; row mapping in `SubscriberRows` and the `…Record` types.
public final class SQLiteSubscriberStore: SubscriberStore, Sendable {
    /// How long a write waits for another connection's lock before failing with `.io`.
    public static let busyTimeout: TimeInterval = 5

    let database: any DatabaseWriter

    /// Opens (creating it and its directory if missing) the database file at `path` and brings its schema up to
    /// date. `.io` when the directory or file cannot be created or opened, or a migration fails.
    public init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            database = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw HSSStoreError(.io, "cannot open \(path): \(error)")
        }
        try migrate()
    }

    /// A store that lives as long as the value does.
    public static func inMemory() throws -> SQLiteSubscriberStore {
        do {
            return try SQLiteSubscriberStore(database: DatabaseQueue(configuration: configuration()))
        } catch let error as HSSStoreError {
            throw error
        } catch {
            throw HSSStoreError(.io, "cannot open an in-memory database: \(error)")
        }
    }

    private init(database: any DatabaseWriter) throws {
        self.database = database
        try migrate()
    }

    /// `synchronous = NORMAL` in WAL mode: a commit is durable across a crash of the process, and the database is
    /// never corrupted; only a power loss can take back the last commits before the WAL is checkpointed. For
    /// registrations (which a UE renews anyway) and SQN counters (a UE resynchronises one that went back) that is
    /// the right trade against an fsync per commit, which held registrations to about 200 per second.
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "gatehouse.hss"
        return configuration
    }

    private func migrate() throws {
        do {
            try SQLiteSchema.migrator.migrate(database)
        } catch {
            throw HSSStoreError(.io, "cannot bring the subscriber schema up to date: \(error)")
        }
    }

    /// Checkpoints the write-ahead log into the database file and truncates it.
    public func flush() throws {
        do {
            _ = try database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        } catch {
            throw HSSStoreError(.io, "cannot checkpoint the state database: \(error)")
        }
    }

    // MARK: Access

    /// Runs `body` in a read transaction. GRDB's errors become `.io`; the store's own (and `body`'s) pass through.
    func read<T>(_ what: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch let error as DatabaseError {
            throw HSSStoreError(.io, "\(what()): \(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE write transaction, committed when it returns and rolled back when it throws.
    func write<T>(_ what: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.write(body)
        } catch let error as DatabaseError {
            throw HSSStoreError(.io, "\(what()): \(error)")
        }
    }
}
