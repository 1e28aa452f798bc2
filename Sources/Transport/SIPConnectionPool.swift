import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import SIPMessage

/// Sends SIP messages out of a node: requests toward peers, and responses or in-dialog requests toward where the
/// Via (`received`/`rport`, RFC 3581) or the dialog says.
///
/// - UDP leaves from the bound UDP listener socket of the realm endpoint given as `from`, so the source address
///   and port are the realm's (what the peer has in its configuration, and what it will answer to).
/// - TCP and TLS reuse an open connection of the same realm address to the same transport, address and port
///   (never one of another realm, which would leak the other realm's address), including one the peer
///   opened to us (RFC 3261 §18.2.2, §18.1.1): a message to a peer's `received`:`rport` goes back over the
///   connection it came in on. Otherwise a new connection is opened from the realm's address, framed with the
///   same `StreamFramingHandler`, and what arrives on it goes to the same `SIPInboundHandler`. Concurrent sends
///   to one destination share one connection attempt.
///
/// A failure (no listener for the realm, connection refused or timed out, TLS handshake failed, connection gone)
/// fails the future with a `TransportError` whose `status` is 503: the caller turns it into a 503 upstream or a
/// transaction's transport error (RFC 3261 §17.1.4).
public final class SIPConnectionPool: Sendable {
    private let group: any EventLoopGroup
    private let handler: any SIPInboundHandler
    private let limits: SIPLimits
    private let connectionLimits: ConnectionLimits
    private let table: ConnectionTable
    /// The listeners sent from; they change when a policy reload adds or removes some.
    private let listeners: NIOLockedValueBox<Listeners>
    private let tlsClient: TLSClientSettings
    /// Client contexts by the realm TLS listener whose certificate they present (nil: none), made on first use.
    private let clientContexts = NIOLockedValueBox<[SIPEndpoint?: NIOSSLContext]>([:])
    private let logger: Logger

    init(
        group: any EventLoopGroup, handler: any SIPInboundHandler, limits: SIPLimits,
        connectionLimits: ConnectionLimits, table: ConnectionTable, udpListeners: [SIPEndpoint: any Channel],
        streamListeners: [SIPEndpoint], tls: [SIPEndpoint: TLSSettings], tlsClient: TLSClientSettings,
        logger: Logger
    ) {
        self.group = group
        self.handler = handler
        self.limits = limits
        self.connectionLimits = connectionLimits
        self.table = table
        self.listeners = NIOLockedValueBox(Listeners(udp: udpListeners, stream: streamListeners, tls: tls))
        self.tlsClient = tlsClient
        self.logger = logger
    }

    private struct Listeners {
        var udp: [SIPEndpoint: any Channel]
        var stream: [SIPEndpoint]
        var tls: [SIPEndpoint: TLSSettings]
    }

    /// Listeners bound after the pool was made (`SIPListeners.add`).
    func addListeners(udp: [SIPEndpoint: any Channel], stream: [SIPEndpoint], tls: [SIPEndpoint: TLSSettings]) {
        listeners.withLockedValue { listeners in
            listeners.udp.merge(udp) { $1 }
            listeners.stream += stream.filter { !listeners.stream.contains($0) }
            listeners.tls.merge(tls) { $1 }
        }
        clientContexts.withLockedValue { contexts in
            for endpoint in tls.keys { contexts[endpoint] = nil }
        }
    }

    /// Listeners closed (`SIPListeners.remove`): nothing is sent from them any more.
    func removeListeners(_ endpoints: Set<SIPEndpoint>) {
        listeners.withLockedValue { listeners in
            for endpoint in endpoints {
                listeners.udp[endpoint] = nil
                listeners.tls[endpoint] = nil
            }
            listeners.stream.removeAll { endpoints.contains($0) }
        }
        clientContexts.withLockedValue { contexts in
            for endpoint in endpoints { contexts[endpoint] = nil }
        }
    }

    /// Sends `bytes` to `destination` from the realm endpoint `local` (one of the bound listener endpoints; for
    /// UDP a UDP listener on the same address is used if `local` is of another transport).
    ///
    /// `serverName` is the TLS server name to send as SNI and to verify the certificate against (the SIP URI's
    /// host when it was a name); by default the destination's host when it is a name, and its IP address otherwise
    /// (checked against the certificate's IP SANs). UDP destinations must be IP literals (names are resolved by
    /// the caller, RFC 3263); TCP and TLS destinations may be names.
    public func send(
        _ bytes: [UInt8], to destination: SIPEndpoint, from local: SIPEndpoint, serverName: String? = nil
    ) async throws {
        try await write(bytes, to: destination, from: local, serverName: serverName).get()
    }

    /// `send` for callers on an event loop: the future succeeds once the bytes were handed to the socket.
    public func write(
        _ bytes: [UInt8], to destination: SIPEndpoint, from local: SIPEndpoint, serverName: String? = nil
    ) -> EventLoopFuture<Void> {
        let result: EventLoopFuture<Void>
        if destination.transport.isStream {
            result = connection(to: destination, from: local, serverName: serverName).flatMap { channel in
                let promise = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: promise)
                return promise.futureResult.flatMapErrorThrowing { error in
                    throw TransportError(.writeFailed, endpoint: destination, "\(error)")
                }
            }
        } else {
            result = writeDatagram(bytes, to: destination, from: local)
        }
        result.whenFailure { [counters = table.counters] _ in counters.update { $0.failedSends += 1 } }
        return result
    }

    /// An open connection to `destination` (reused or new), for callers that want to hold on to one.
    public func connect(
        to destination: SIPEndpoint, from local: SIPEndpoint, serverName: String? = nil
    ) async throws -> SIPConnectionContext {
        let channel = try await connection(to: destination, from: local, serverName: serverName).get()
        let remote = try channel.remoteAddress ?? SocketAddress(ipAddress: destination.host, port: destination.port)
        return SIPConnectionContext(
            listener: contextListener(for: destination.transport, from: local), transport: destination.transport,
            remote: remote, channel: channel)
    }

    // MARK: UDP

    private func writeDatagram(
        _ bytes: [UInt8], to destination: SIPEndpoint, from local: SIPEndpoint
    ) -> EventLoopFuture<Void> {
        let channel: (any Channel)? = listeners.withLockedValue { listeners in
            if local.transport == .udp, let channel = listeners.udp[local] { return channel }
            return listeners.udp.first { $0.key.host == local.host }?.value
        }
        guard let channel else {
            return failed(TransportError(.noListener, endpoint: local, "no UDP listener on \(local.host)"))
        }
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: destination.host, port: destination.port)
        } catch {
            return failed(
                TransportError(.badDestination, endpoint: destination, "UDP needs an IP address: \(error)"))
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let envelope = AddressedEnvelope(remoteAddress: address, data: channel.allocator.buffer(bytes: bytes))
        channel.writeAndFlush(envelope, promise: promise)
        return promise.futureResult.flatMapErrorThrowing { error in
            throw TransportError(.writeFailed, endpoint: destination, "\(error)")
        }
    }

    // MARK: TCP and TLS

    private func connection(
        to destination: SIPEndpoint, from local: SIPEndpoint, serverName: String?
    )
        -> EventLoopFuture<any Channel>
    {
        let key = ConnectionKey(
            transport: destination.transport, local: local.host, host: destination.host, port: destination.port)
        switch table.lookupOrReserve(key, on: group.next()) {
        case .existing(let channel):
            return channel.eventLoop.makeSucceededFuture(channel)
        case .pending(let future):
            return future
        case .closed:
            return failed(TransportError(.closed, endpoint: destination, "the transport is closed"))
        case .reserved(let id, let promise):
            let attempt: EventLoopFuture<any Channel>
            do {
                attempt = try open(destination, from: local, serverName: serverName, on: promise.futureResult.eventLoop)
            } catch {
                attempt = promise.futureResult.eventLoop.makeFailedFuture(error)
            }
            attempt.whenComplete { result in
                switch result {
                case .success(let channel):
                    if self.table.completeOutbound(key, id: id, channel: channel) {
                        self.logger.debug("connected", metadata: ["to": "\(destination)", "from": "\(local)"])
                        promise.succeed(channel)
                    } else {
                        channel.close(promise: nil)
                        promise.fail(TransportError(.closed, endpoint: destination, "the transport is closed"))
                    }
                case .failure(let error):
                    self.table.failOutbound(key, id: id)
                    self.logger.info(
                        "cannot connect", metadata: ["to": "\(destination)", "from": "\(local)", "error": "\(error)"])
                    promise.fail(
                        error as? TransportError
                            ?? TransportError(.connectFailed, endpoint: destination, "\(error)"))
                }
            }
            return promise.futureResult
        }
    }

    private func open(
        _ destination: SIPEndpoint, from local: SIPEndpoint, serverName: String?, on loop: any EventLoop
    )
        throws -> EventLoopFuture<any Channel>
    {
        let transport = destination.transport
        let listener = contextListener(for: transport, from: local)
        let tlsContext = transport == .tls ? try clientContext(presentingFor: listener) : nil
        let literal = (try? SocketAddress(ipAddress: destination.host, port: 0)) != nil
        let tlsName = serverName ?? (literal ? nil : destination.host)
        let source: SocketAddress
        do {
            source = try SocketAddress(ipAddress: local.host, port: 0)
        } catch {
            throw TransportError(.noListener, endpoint: local, "the realm address is not an IP literal: \(error)")
        }
        let handler = self.handler
        let limits = self.limits
        let connectionLimits = self.connectionLimits
        let counters = table.counters
        return ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(connectionLimits.connectTimeout)
            .bind(to: source)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tlsHandler = try tlsContext.map {
                        try NIOSSLClientHandler(context: $0, serverHostname: tlsName)
                    }
                    try StreamPipeline.configure(
                        channel, listener: listener, transport: transport, tls: tlsHandler, handler: handler,
                        limits: limits, connectionLimits: connectionLimits, counters: counters)
                }
            }
            .connect(host: destination.host, port: destination.port)
    }

    /// The listener an outbound connection's inbound messages are attributed to: the realm's listener of that
    /// transport on the same address, or the realm endpoint itself.
    private func contextListener(for transport: SIPTransport, from local: SIPEndpoint) -> SIPEndpoint {
        if local.transport == transport { return local }
        return listeners.withLockedValue { listeners in
            listeners.stream.first { $0.transport == transport && $0.host == local.host }
        } ?? local
    }

    private func clientContext(presentingFor listener: SIPEndpoint) throws -> NIOSSLContext {
        let settings = listeners.withLockedValue { $0.tls[listener] }
        let realm = settings != nil ? listener : nil
        if let context = clientContexts.withLockedValue({ $0[realm] }) { return context }
        let context = try tlsClient.makeClientContext(presenting: settings)
        clientContexts.withLockedValue { $0[realm] = context }
        return context
    }

    private func failed<T>(_ error: TransportError) -> EventLoopFuture<T> {
        group.next().makeFailedFuture(error)
    }
}
