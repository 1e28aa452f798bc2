import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A stub resolver: asks the configured recursive servers over UDP (TCP when an answer is truncated), follows
/// CNAMEs, and caches answers and negative answers for their TTL.
///
/// ```swift
/// let resolver = DNSResolver(configuration: .init(servers: [.init(host: "192.0.2.53")]), group: group)
/// let answer = try await resolver.lookup("_sip._udp.example.com", .srv)   // throws(DNSError)
/// resolver.shutdown()
/// ```
///
/// Spoofing: every attempt opens its own UDP socket on a kernel-chosen port and sends a random 16-bit ID; a reply
/// counts only if it comes from the server's address and port and carries the same ID and question (RFC 5452
/// §9.1). Anything else arriving on the socket is ignored, and the attempt keeps waiting for its real answer.
///
/// Truncation: a UDP answer with TC set is asked again over TCP to the same server (RFC 7766 §5). If that fails,
/// the truncated answer's records are used (`DNSAnswer.isTruncated`) but not cached.
///
/// The additional section is never used: A/AAAA records that came along with an SRV answer are asked for again
/// (usually from the server's cache), so an answer can only speak for the name that was asked.
public final class DNSResolver: Sendable {
    public let configuration: DNSResolverConfiguration
    let group: any EventLoopGroup
    let logger: Logger
    /// The injected clock's reading, as the time since the resolver was made.
    private let now: @Sendable () -> Duration
    private let cache: NIOLockedValueBox<DNSCache>
    private let interpreter: DNSResponseInterpreter
    let lifecycle = NIOLockedValueBox(Lifecycle())

    /// The sockets of the attempts under way, closed by `shutdown()`.
    struct Lifecycle {
        var isShutDown = false
        var channels: [ObjectIdentifier: any Channel] = [:]
    }

    /// A resolver on `group`'s event loops, timing its cache on the continuous clock.
    public convenience init(
        configuration: DNSResolverConfiguration, group: any EventLoopGroup,
        logger: Logger = Logger(label: "gatehouse.dns")
    ) {
        self.init(configuration: configuration, group: group, clock: ContinuousClock(), logger: logger)
    }

    /// A resolver whose cache reads `clock` (tests pass a clock they move by hand). Timeouts of attempts always
    /// run on the event loop's own clock.
    public init<C: Clock>(
        configuration: DNSResolverConfiguration, group: any EventLoopGroup, clock: C,
        logger: Logger = Logger(label: "gatehouse.dns")
    ) where C.Duration == Duration {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        let start = clock.now
        self.now = { start.duration(to: clock.now) }
        self.cache = NIOLockedValueBox(DNSCache(capacity: configuration.cacheCapacity))
        self.interpreter = DNSResponseInterpreter(maximumCNAMEs: configuration.maximumCNAMEs)
    }

    /// Looks up the records of `type` at `name` (presentation form, taken as fully qualified).
    ///
    /// - Throws: `DNSError` with code `.badName`, `.nxdomain`, `.noData`, `.timeout`, `.serverFailure`,
    ///   `.malformed`, `.network`, `.noServers`, `.shutdown` or `.cancelled`.
    public func lookup(_ name: String, _ type: DNSRecordType) async throws(DNSError) -> DNSAnswer {
        let parsed: DNSName
        do {
            parsed = try DNSName(parsing: name)
        } catch {
            throw DNSError(.badName, "'\(name)' is not a domain name: \(error)")
        }
        return try await lookup(parsed, type)
    }

    /// Looks up the records of `type` at `name`: from the cache, or from the servers, following CNAMEs.
    ///
    /// - Throws: as `lookup(_:_:)` with a string, except `.badName`.
    public func lookup(_ name: DNSName, _ type: DNSRecordType) async throws(DNSError) -> DNSAnswer {
        let asked = DNSQuestion(name: name, type: type)
        guard !lifecycle.withLockedValue({ $0.isShutDown }) else {
            throw DNSError(.shutdown, question: asked, "the resolver was shut down")
        }
        if let cached = cache.withLockedValue({ $0.lookup(asked, now: now()) }) {
            logger.trace("cache hit", metadata: ["question": "\(asked)"])
            return try cached.get()
        }
        var question = asked
        var chainTTL = UInt32.max
        var followed = 0
        while true {
            let (message, truncated) = try await exchange(question)
            switch interpreter.interpret(message, for: question, followed: followed) {
            case .answer(let canonicalName, let records, let ttl):
                let answer = DNSAnswer(
                    question: asked, canonicalName: canonicalName, records: records,
                    ttl: min(ttl, chainTTL, configuration.maximumTTL), isTruncated: truncated)
                cache.withLockedValue { $0.store(answer, now: now()) }
                return answer
            case .followCNAME(let target, let ttl, let count):
                logger.debug("following CNAME", metadata: ["question": "\(question)", "target": "\(target)"])
                chainTTL = min(chainTTL, ttl)
                followed = count
                question = DNSQuestion(name: target, type: type, class: question.class)
            case .negative(let code, let negativeName, let ttl):
                let error = DNSError(
                    code, question: DNSQuestion(name: negativeName, type: type),
                    code == .nxdomain ? "the name does not exist" : "the name has no \(type) records")
                if let ttl {
                    cache.withLockedValue {
                        $0.store(
                            error, for: asked, ttl: min(ttl, chainTTL, configuration.maximumNegativeTTL),
                            coversEveryType: code == .nxdomain && negativeName == asked.name, now: now())
                    }
                }
                throw error
            case .failure(let error):
                throw error
            }
        }
    }

    /// Fails the lookups under way with `.shutdown`, closes their sockets, and refuses new lookups. The event loop
    /// group belongs to the caller and stays up.
    public func shutdown() {
        let channels = lifecycle.withLockedValue { lifecycle in
            lifecycle.isShutDown = true
            defer { lifecycle.channels.removeAll() }
            return Array(lifecycle.channels.values)
        }
        for channel in channels { channel.close(promise: nil) }
        cache.withLockedValue { $0.removeAll() }
    }
}
