import NIOCore
import NIOPosix

/// One conference room's media: a socket per participant on Gatehouse's media address, a `ConferenceMixer`, and a
/// 20 ms timer that mixes and sends each participant everyone but themselves. The room's seats and SIP are the MRF
/// module's (`ConferenceRooms`, `MRFSession`); this only moves audio.
///
/// All state lives on `loop` (one owner per room, STYLE rule 11): participants on other loops reach it by message.
public final class MRFConferenceBridge<Participant: Hashable & Sendable>: @unchecked Sendable {
    public let loop: any EventLoop
    private var mixer: ConferenceMixer<Participant>
    private var members: [Participant: Member] = [:]
    private var timer: RepeatedTask?

    private struct Member {
        var channel: Channel
        var remote: SocketAddress
        var packetizer: RTPPacketizer
        var isHeld = false
        var counted = MRFMediaCounters()
    }

    public init(loop: any EventLoop, capacity: Int = ConferenceMixer<Participant>.defaultCapacity) {
        self.loop = loop
        self.mixer = ConferenceMixer(capacity: capacity)
    }

    /// Binds the participant's socket on `host:port` and mixes it in from the next tick. Fails when the room is
    /// full (the MRF refuses such a call before media, so this is a safety net) or the port cannot be bound.
    public func add(
        _ participant: Participant, host: String, port: Int, remote: SocketAddress, law: G711Law,
        payloadType: UInt8? = nil, ssrc: UInt32, firstSequenceNumber: UInt16 = 0, firstTimestamp: UInt32 = 0
    ) -> EventLoopFuture<Void> {
        loop.flatSubmit {
            guard self.mixer.join(participant, law: law) else {
                return self.loop.makeFailedFuture(ChannelError.inappropriateOperationForState)
            }
            let packetizer = RTPPacketizer(
                payloadType: payloadType ?? law.payloadType, ssrc: ssrc, firstSequenceNumber: firstSequenceNumber,
                firstTimestamp: firstTimestamp)
            return DatagramBootstrap(group: self.loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Receiver(bridge: self, participant: participant))
                    }
                }
                .bind(host: host, port: port)
                .map { channel in
                    self.members[participant] = Member(channel: channel, remote: remote, packetizer: packetizer)
                    self.startTimer()
                }
                .flatMapErrorThrowing { error in
                    self.mixer.leave(participant)
                    throw error
                }
        }
    }

    /// Takes the participant out of the mix and closes its socket; the timer stops with the last one. The future
    /// has what the participant sent and was sent, for its call's record.
    @discardableResult
    public func remove(_ participant: Participant) -> EventLoopFuture<MRFMediaCounters> {
        loop.flatSubmit {
            self.mixer.leave(participant)
            guard let member = self.members.removeValue(forKey: participant) else {
                return self.loop.makeSucceededFuture(MRFMediaCounters())
            }
            if self.members.isEmpty {
                self.timer?.cancel()
                self.timer = nil
            }
            return member.channel.close().map { member.counted }
        }
    }

    /// Hold: the participant is still heard (if it sends) but nothing is sent to it.
    public func setHeld(_ participant: Participant, _ held: Bool) {
        loop.execute {
            guard var member = self.members[participant] else { return }
            if member.isHeld && !held { member.packetizer.startTalkspurt() }
            member.isHeld = held
            self.members[participant] = member
        }
    }

    private func startTimer() {
        guard timer == nil else { return }
        timer = loop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(20)) { _ in
            self.tick()
        }
    }

    private func tick() {
        for (participant, payload) in mixer.tick() {
            guard var member = members[participant] else { continue }
            guard !member.isHeld else {
                member.packetizer.skip(samples: RTPPacketizer.samplesPerFrame)
                members[participant] = member
                continue
            }
            let packet = member.packetizer.packet(payload: payload)
            member.counted.countSent(packet)
            members[participant] = member
            member.channel.writeAndFlush(
                AddressedEnvelope(remoteAddress: member.remote, data: ByteBuffer(bytes: packet)), promise: nil)
        }
    }

    fileprivate func receive(_ bytes: [UInt8], from participant: Participant) {
        guard var member = members[participant] else { return }
        let isMedia = member.counted.countReceived(bytes)
        members[participant] = member
        guard isMedia, let datagram = RTPDatagram(bytes: bytes),
            datagram.header.payloadType == member.packetizer.payloadType
        else { return }
        mixer.receive(datagram.payload, from: participant)
    }

    /// Hands a participant's datagrams to the bridge.
    private final class Receiver: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let bridge: MRFConferenceBridge
        let participant: Participant

        init(bridge: MRFConferenceBridge, participant: Participant) {
            self.bridge = bridge
            self.participant = participant
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            bridge.receive(Array(unwrapInboundIn(data).data.readableBytesView), from: participant)
        }
    }
}
