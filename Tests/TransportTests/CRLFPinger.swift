import NIOConcurrencyHelpers
import NIOCore

/// Sends a CRLF keep-alive ping (RFC 5626 §3.5.1) on its connection every `interval`, from the moment the
/// connection is up until `stop()`, on the connection's own event loop.
///
/// Started from the test task instead, the pings began only when that task next got a thread: with the whole
/// suite on the two cooperative threads of a loaded two-core machine, that took longer than the idle timeout,
/// and the connection was reaped before its first ping.
final class CRLFPinger: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let interval: TimeAmount
    /// The repeated ping once the connection is up; `.stopped` once `stop()` was called, so that a connection that
    /// comes up after it never starts pinging.
    private let pings = NIOLockedValueBox<State>(.waiting)

    private enum State {
        case waiting
        case pinging(RepeatedTask)
        case stopped
    }

    init(every interval: TimeAmount) {
        self.interval = interval
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        pings.withLockedValue { state in
            guard case .waiting = state else { return }
            state = .pinging(
                context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { _ in
                    channel.writeAndFlush(channel.allocator.buffer(string: "\r\n\r\n"), promise: nil)
                })
        }
        context.fireChannelActive()
    }

    /// No ping leaves after this returns (a ping already written may still be on its way).
    func stop() {
        pings.withLockedValue { state in
            if case .pinging(let task) = state { task.cancel() }
            state = .stopped
        }
    }
}
