import SIPMessage

extension DNSResolver {
    /// A locator whose lookups go through this resolver (and its cache).
    public func sipServerLocator(
        configuration: SIPServerLocator.Configuration = SIPServerLocator.Configuration()
    ) -> SIPServerLocator {
        SIPServerLocator(configuration: configuration) { name, type throws(DNSError) in
            try await self.lookup(name, type).data
        }
    }

    /// The endpoints to try for `target` (RFC 3263), using only `transports`.
    ///
    /// - Throws: `SIPLocationError` with code `.unsupportedTransport`, `.notFound` or `.dnsFailure`.
    public func locateSIPServers(
        for target: SIPServerTarget, supporting transports: Set<SIPTransport>
    ) async throws(SIPLocationError) -> [SIPEndpoint] {
        try await sipServerLocator().locate(target, supporting: transports)
    }
}
