/// `t=<start-time> <stop-time>` with the `r=` lines that follow it (RFC 8866 §5.9, §5.10).
///
/// SIP sessions almost always say `t=0 0`. Repeat lines are kept as text: they allow `d`/`h`/`m`/`s` units and
/// nothing in a border controller reads them.
public struct Timing: Hashable, Sendable {
    /// NTP seconds, 0 for unbounded.
    public var start: UInt64
    public var stop: UInt64
    /// The value of each `r=` line, in order.
    public var repeats: [String]

    public init(start: UInt64 = 0, stop: UInt64 = 0, repeats: [String] = []) {
        self.start = start
        self.stop = stop
        self.repeats = repeats
    }

    var lineValue: String { "\(start) \(stop)" }
}
