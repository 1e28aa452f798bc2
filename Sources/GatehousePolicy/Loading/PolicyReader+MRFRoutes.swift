import SIPMessage
import Yams

/// A route to the MRF: `to: "sip:announce=NAME@DOMAIN"` (or `conf=`, `tone=`, `menu=`). Checked here like any
/// other target, so a route to an announcement the policy does not list is a load error, not a 404 at call time.
extension PolicyReader {
    static func readMRFTarget(
        _ text: String, _ yaml: Node, what: String, context: RouteContext, reader: inout YAMLReader
    ) -> RouteTarget? {
        guard let mrf = context.mrf else {
            reader.report(.badTarget, "\(what) '\(text)': a SIP URI target needs an 'mrf' section (its PSIs)", at: yaml)
            return nil
        }
        guard case .sip(let uri)? = try? URI(parsing: text), !uri.isSecure,
            uri.host.description.lowercased() == mrf.domain.lowercased(), uri.port == nil
        else {
            reader.report(.badTarget, "\(what) '\(text)' is not a PSI of mrf.domain \(mrf.domain)", at: yaml)
            return nil
        }
        if let problem = mrfResourceProblem(uri.user ?? "", mrf: mrf) {
            reader.report(.badTarget, "\(what) '\(text)': \(problem)", at: yaml)
            return nil
        }
        return .mrf(text)
    }

    /// Why a PSI's user part names nothing the MRF has; nil when it does.
    static func mrfResourceProblem(_ user: String, mrf: MRFSettings) -> String? {
        guard let equals = user.firstIndex(of: "=") else { return "the user part must be kind=NAME" }
        let kind = user[..<equals].lowercased()
        let name = String(user[user.index(after: equals)...])
        guard !name.isEmpty else { return "names no \(kind)" }
        switch kind {
        case "announce": return mrf.announcements[name] == nil ? "no announcement '\(name)' in mrf.announcements" : nil
        case "menu": return mrf.menus[name] == nil ? "no menu '\(name)' in mrf.menus" : nil
        case "tone":
            return ["ringback", "busy", "congestion"].contains(name.lowercased())
                ? nil : "no tone '\(name)' (ringback, busy, congestion)"
        case "conf": return nil
        default: return "'\(kind)' is not announce, conf, tone or menu"
        }
    }
}
