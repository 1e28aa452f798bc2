import Border
import Foundation
import GatehousePolicy
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SIPMessage
import Transport

/// Where a next hop written as a name is (RFC 3263: NAPTR, SRV, A/AAAA), with the DNS settings of the policy in
/// force: one resolver (and its cache) per settings, made again when a reload changes them.
///
/// Without servers in the policy the system's resolvers are asked: the `nameserver` lines of `/etc/resolv.conf`,
/// read when the settings are first used.
final class NextHopLocator: Sendable {
    private let group: any EventLoopGroup
    private let logger: Logger
    /// One resolver (and cache) per DNS settings in use: next hops and ENUM may ask differently.
    private let resolvers = NIOLockedValueBox<[DNSSettings: DNSResolver]>([:])

    init(group: any EventLoopGroup, logger: Logger) {
        self.group = group
        self.logger = logger
    }

    /// The endpoints to try for `uri`, best first, over `transports` only.
    ///
    /// - Throws: `SIPLocationError`, whose status is the answer for the caller (404 when the name has no SIP
    ///   service, 503 when DNS fails).
    func locate(
        _ uri: SIPURI, supporting transports: Set<SIPTransport>, settings: DNSSettings
    ) async throws(SIPLocationError) -> [SIPEndpoint] {
        try await resolver(for: settings).locateSIPServers(for: SIPServerTarget(uri: uri), supporting: transports)
    }

    /// The NAPTR records of an ENUM domain, or why there are none to be had.
    func enumRecords(_ domain: String, settings: DNSSettings) async -> ENUMAnswer {
        do {
            let answer = try await resolver(for: settings).lookup(domain, .naptr)
            return .records(
                answer.data.compactMap { data in
                    guard case .naptr(let naptr) = data else { return nil }
                    return ENUMRecord(
                        order: naptr.order, preference: naptr.preference, flags: naptr.flagsText,
                        services: naptr.servicesText, regexp: naptr.regexpText,
                        replacement: naptr.replacement.description)
                })
        } catch {
            return error.isNegativeAnswer ? .records([]) : .failed("\(error)")
        }
    }

    /// Stops the resolvers' lookups under way; a later lookup starts a new resolver.
    func shutdown() {
        resolvers.withLockedValue { resolvers in
            for resolver in resolvers.values { resolver.shutdown() }
            resolvers = [:]
        }
    }

    /// The resolver for `settings`; a settings value no longer in use by the policy is dropped when a fourth
    /// one appears (a reload that changed them).
    private func resolver(for settings: DNSSettings) -> DNSResolver {
        resolvers.withLockedValue { resolvers in
            if let resolver = resolvers[settings] { return resolver }
            if resolvers.count >= 3 {
                for resolver in resolvers.values { resolver.shutdown() }
                resolvers = [:]
            }
            let resolver = DNSResolver(configuration: Self.configuration(settings), group: group, logger: logger)
            resolvers[settings] = resolver
            return resolver
        }
    }

    static func configuration(_ settings: DNSSettings) -> DNSResolverConfiguration {
        let servers = settings.servers.isEmpty ? systemServers() : settings.servers
        var configuration = DNSResolverConfiguration(
            servers: servers.map { DNSResolverConfiguration.Server(host: $0.host, port: $0.port) })
        configuration.timeout = settings.timeout
        configuration.attempts = settings.attempts
        configuration.maximumTTL = UInt32(clamping: settings.maximumTTL.components.seconds)
        return configuration
    }

    /// The `nameserver` addresses of `/etc/resolv.conf` (an IPv6 one may carry a `%zone`, which is dropped).
    static func systemServers(resolvConf path: String = "/etc/resolv.conf") -> [DNSSettings.Server] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { return nil }
            return DNSSettings.Server(host: String(fields[1].prefix { $0 != "%" }))
        }
    }
}
