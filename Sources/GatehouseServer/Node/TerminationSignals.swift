@preconcurrency import Dispatch
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM as an awaitable event: the default handlers are replaced by dispatch sources for as long as
/// this object lives, so the node can close its listeners before the process exits.
final class TerminationSignals: @unchecked Sendable {  // state is behind a lock
    private let queue = DispatchQueue(label: "gatehouse.signals")
    private let sources = NIOLockedValueBox<[any DispatchSourceSignal]>([])

    /// Returns the name of the first signal received.
    func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let resumed = NIOLockedValueBox(false)
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    let isFirst = resumed.withLockedValue { wasResumed in
                        defer { wasResumed = true }
                        return !wasResumed
                    }
                    if isFirst { continuation.resume(returning: name) }
                }
                source.resume()
                sources.withLockedValue { $0.append(source) }
            }
        }
    }

    deinit {
        sources.withLockedValue { sources in
            for source in sources { source.cancel() }
        }
    }
}
