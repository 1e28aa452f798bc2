import NIOCore

extension DNSResolver {
    /// Asks the servers `question` until one answers it: `attempts` rounds over the server list, each attempt with
    /// a fresh ID and socket. An answer with an error RCODE, or one that cannot be parsed, moves on to the next
    /// server like a timeout does; the error that ends the lookup is the most telling one seen (a server failure
    /// or a malformed answer rather than a timeout).
    func exchange(_ question: DNSQuestion) async throws(DNSError) -> (message: DNSMessage, truncated: Bool) {
        guard !configuration.servers.isEmpty else {
            throw DNSError(.noServers, question: question, "no DNS servers are configured")
        }
        var failure = DNSError(.timeout, question: question, "no server answered")
        for _ in 0..<max(1, configuration.attempts) {
            for server in configuration.servers {
                guard !Task.isCancelled else {
                    throw DNSError(.cancelled, question: question, "the lookup was cancelled")
                }
                do {
                    let (message, truncated) = try await ask(question, server)
                    let rcode = message.header.responseCode
                    guard rcode == .noError || rcode == .nameError else {
                        failure = DNSError(
                            .serverFailure, question: question, responseCode: rcode, "\(server) answered \(rcode)")
                        continue
                    }
                    return (message, truncated)
                } catch {
                    if error.isFinal { throw error }
                    if error.code != .timeout || failure.code == .timeout { failure = error }
                    logger.debug(
                        "attempt failed",
                        metadata: ["question": "\(question)", "server": "\(server)", "error": "\(error)"])
                }
            }
        }
        throw failure
    }

    /// One attempt at one server: UDP, then TCP if the answer is truncated and `tcpFallback` is on.
    private func ask(
        _ question: DNSQuestion, _ server: DNSResolverConfiguration.Server
    ) async throws(DNSError) -> (DNSMessage, truncated: Bool) {
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: server.host, port: server.port)
        } catch {
            throw DNSError(.network, question: question, "the server \(server) is not an IP address and port")
        }
        let query = DNSQuery(
            id: .random(in: .min ... .max), question: question, udpPayloadSize: configuration.udpPayloadSize)
        let message = try await exchangeUDP(query, with: address)
        guard message.header.isTruncated, configuration.tcpFallback else {
            return (message, message.header.isTruncated)
        }
        do {
            let full = try await exchangeTCP(
                DNSQuery(id: .random(in: .min ... .max), question: question), with: address)
            return (full, full.header.isTruncated)
        } catch {
            if error.isFinal { throw error }
            logger.info(
                "TCP retry of a truncated answer failed; using the truncated answer",
                metadata: ["question": "\(question)", "server": "\(server)", "error": "\(error)"])
            return (message, true)
        }
    }

    /// Waits for `promise`, which the handler on `channel` completes with the answer, for at most the
    /// configured timeout; the channel is tracked for `shutdown()` while it is open, and closed afterwards.
    func awaitAnswer(
        _ promise: EventLoopPromise<DNSMessage>, on channel: any Channel, question: DNSQuestion,
        send: (any Channel) -> EventLoopFuture<Void>
    ) async throws(DNSError) -> DNSMessage {
        let id = ObjectIdentifier(channel)
        let admitted = lifecycle.withLockedValue { lifecycle in
            guard !lifecycle.isShutDown else { return false }
            lifecycle.channels[id] = channel
            return true
        }
        guard admitted else {
            channel.close(promise: nil)
            throw DNSError(.shutdown, question: question, "the resolver was shut down")
        }
        let timeout = configuration.timeout
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(DNSError(.timeout, question: question, "no answer within \(timeout)"))
        }
        send(channel).whenFailure { error in
            promise.fail(DNSError(.network, question: question, "cannot send the query: \(error)"))
        }
        promise.futureResult.whenComplete { [lifecycle] _ in
            timer.cancel()
            channel.close(promise: nil)
            lifecycle.withLockedValue { _ = $0.channels.removeValue(forKey: id) }
        }
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(DNSError(.cancelled, question: question, "the lookup was cancelled"))
            }
        } catch {
            throw error as? DNSError ?? DNSError(.network, question: question, "\(error)")
        }
    }
}
