import Foundation
import GatehousePolicy
import MRF
import Media

/// What the node builds from the policy's `mrf:` section before it answers any call to the MRF: the MRF module's
/// configuration, every announcement read and checked, and the tone family. Built when a policy is loaded or
/// reloaded, so a missing or unplayable file is an error then, not silence for a caller later.
struct MRFResources: Sendable {
    let configuration: MRFConfiguration
    let announcements: [String: WAVAudio]
    let tones: ToneFamily

    /// A file that cannot be played: which announcement, where, and why.
    struct LoadError: Error, CustomStringConvertible {
        var announcement: String
        var path: String
        var reason: String

        var description: String { "mrf.announcements.\(announcement) '\(path)': \(reason)" }
    }

    /// Reads every announcement (relative paths against `policyDirectory`, as for `capture.directory`).
    init(_ settings: MRFSettings, policyDirectory: String) throws(LoadError) {
        var announcements: [String: WAVAudio] = [:]
        for (name, path) in settings.announcements.sorted(by: { $0.key < $1.key }) {
            let resolved = path.hasPrefix("/") ? path : policyDirectory + "/" + path
            guard let data = FileManager.default.contents(atPath: resolved) else {
                throw LoadError(announcement: name, path: resolved, reason: "cannot be read")
            }
            do {
                announcements[name] = try WAVReader.read([UInt8](data))
            } catch {
                throw LoadError(announcement: name, path: resolved, reason: error.description)
            }
        }
        self.announcements = announcements
        self.tones = settings.tones == .us ? .northAmerican : .european
        self.configuration = MRFConfiguration(
            domain: settings.domain, announcements: Set(settings.announcements.keys),
            menus: settings.menus.mapValues(Self.menu), maximumParticipants: settings.maxParticipants,
            maximumRooms: settings.maxRooms, refusals: settings.refusals)
    }

    /// The tone the MRF session asked for, in this node's family.
    func plan(for tone: MRFTone) -> TonePlan {
        switch tone {
        case .ringback: tones.plan(for: .ringback)
        case .busy: tones.plan(for: .busy)
        case .congestion: tones.plan(for: .congestion)
        }
    }

    private static func menu(_ settings: MRFMenuSettings) -> MRFMenu {
        MRFMenu(
            prompt: settings.prompt,
            choices: settings.digits.mapValues { target in
                switch target {
                case .announcement(let name): .announcement(name)
                case .menu(let name): .menu(name)
                case .transfer(let uri): .transfer(uri)
                }
            }, timeout: settings.timeout, attempts: settings.attempts)
    }
}

extension MRFCodec {
    /// The Media module's law for the codec the MRF negotiated.
    var law: G711Law { self == .pcmu ? .muLaw : .aLaw }
}
