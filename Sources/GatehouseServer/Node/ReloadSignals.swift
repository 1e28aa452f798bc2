@preconcurrency import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// SIGHUP as a reload request: while this object lives, each SIGHUP calls `handler` (on a private queue)
/// instead of ending the process.
///
/// The default action of SIGHUP is left at "ignore" after `cancel()`, never restored to "terminate": a signal
/// still in flight must not kill a node (or a test runner) that has stopped listening for it.
public final class ReloadSignals: @unchecked Sendable {  // the source is set once in init, then only cancelled
    private let source: any DispatchSourceSignal

    /// Returns once the signal source is registered: `resume()` registers it asynchronously on its queue, and a
    /// SIGHUP arriving before that, while the signal is ignored, would be lost (seen as a rare test failure).
    init(handler: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "gatehouse.sighup"))
        source.setEventHandler(handler: handler)
        let registered = DispatchSemaphore(value: 0)
        source.setRegistrationHandler { registered.signal() }
        source.resume()
        registered.wait()
    }

    /// Stops handling SIGHUP (it stays ignored).
    public func cancel() {
        source.cancel()
    }

    deinit {
        source.cancel()
    }
}
