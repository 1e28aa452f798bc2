import GatehousePolicy
import Logging
import NIOConcurrencyHelpers

/// The log level in force, shared by every logger of the process: the policy's `node.log_level`, applied again at
/// each reload, unless the command line fixed it (`--log-level`).
public final class LogLevelControl: Sendable {
    private let state: NIOLockedValueBox<(level: Logger.Level, fixed: Bool)>

    /// `fixed`: the level came from the command line and a policy does not change it.
    public init(_ level: Logger.Level = .info, fixed: Bool = false) {
        state = NIOLockedValueBox((level, fixed))
    }

    public var level: Logger.Level { state.withLockedValue { $0.level } }

    /// Applies the policy's level (unless fixed); returns the level in force.
    @discardableResult
    public func apply(_ policyLevel: NodeSettings.LogLevel) -> Logger.Level {
        state.withLockedValue { state in
            if !state.fixed { state.level = Logger.Level(rawValue: policyLevel.rawValue) ?? .info }
            return state.level
        }
    }

    /// A handler writing to standard error at the level in force.
    public func standardErrorHandler(label: String) -> any LogHandler {
        ControlledLogHandler(base: StreamLogHandler.standardError(label: label), control: self)
    }
}

/// A handler whose level is read from a `LogLevelControl` at each message, so a reload changes it everywhere.
struct ControlledLogHandler: LogHandler {
    var base: any LogHandler
    let control: LogLevelControl

    var logLevel: Logger.Level {
        get { control.level }
        set {}  // the control decides; a logger's own setting is ignored
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
    }
}
