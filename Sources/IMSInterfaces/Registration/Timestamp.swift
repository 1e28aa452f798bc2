/// Wall-clock time in whole seconds since 1970, the unit registrations expire in and are persisted with: a
/// binding written before a restart must mean the same instant after it, which a monotonic clock cannot give.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var secondsSince1970: Int64

    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    public static func + (lhs: Self, seconds: Int64) -> Self { Self(secondsSince1970: lhs.secondsSince1970 + seconds) }

    /// Whole seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Self) -> Int64 { later.secondsSince1970 - secondsSince1970 }

    public var description: String { "\(secondsSince1970)" }
}
