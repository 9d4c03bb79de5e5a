/// Checks addresses a site gives (a collection's url field, a menu link, `base_url`, a `url` field) before they
/// are published on every page: only `http(s)` with a real host, `mailto:`, or a relative path; no
/// `javascript:` or other schemes, and nothing a reader cannot see (a tab, a newline, a non-breaking space,
/// U+2028, a zero-width or direction mark), which browsers strip or keep in ways that lead elsewhere.
public enum WebAddress {
    public struct Allowed: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let http = Allowed(rawValue: 1)
        public static let mailto = Allowed(rawValue: 2)
        public static let relative = Allowed(rawValue: 4)
    }

    /// What is wrong with `text` as an address of the `allowed` kinds, or nil when it is fine.
    public static func problem(_ text: String, allowed: Allowed) -> String? {
        if text.isEmpty { return "it is empty" }
        for scalar in text.unicodeScalars {
            let name: String? = switch scalar.value {
            case 0x09: "a tab"
            case 0x0A, 0x0D: "a line break"
            case 0x20: "a space (write it as %20)"
            case 0xA0: "a non-breaking space (U+00A0)"
            case 0x2028: "a line separator (U+2028)"
            case 0x2029: "a paragraph separator (U+2029)"
            default:
                scalar.properties.isWhitespace ? "a space character (U+\(hex(scalar.value)))"
                    : scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    ? "an invisible character (U+\(hex(scalar.value)))" : nil
            }
            if let name { return "it contains \(name); retype it" }
        }
        if text.contains("\\") { return "it contains a backslash (\\); use /" }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard allowed.contains(.http) else { return "only a relative path can go here" }
            return hostProblem(String(text.dropFirst(lower.hasPrefix("https") ? 8 : 7)))
        }
        if lower.hasPrefix("mailto:") {
            guard allowed.contains(.mailto) else { return "an e-mail address cannot go here" }
            let address = text.dropFirst(7)
            return address.contains("@") && !address.hasPrefix("@") ? nil : "'\(address)' is not an e-mail address"
        }
        if RelativeURL.hasScheme(text) || text.hasPrefix("//") {
            let start = text.hasPrefix("//") ? "//" : text.prefix { $0 != ":" } + ":"
            let kinds = ["http://", "https://"] + (allowed.contains(.mailto) ? ["mailto:"] : []) + (allowed.contains(.relative) ? ["relative"] : [])
            return "it starts with '\(start)' (only \(kinds.dropLast().joined(separator: ", ")) and \(kinds.last!) addresses are allowed)"
        }
        if allowed.contains(.relative) { return nil }
        // `www.uottawa.ca/med`: an address typed as a browser's bar shows it.
        let host = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if host.contains("."), !host.hasPrefix("."), !host.hasSuffix("."), hostProblem(text) == nil {
            return "it has no https:// in front; write https://\(text)"
        }
        return "it is a relative path"
    }

    /// What is wrong with the part after `scheme://`.
    static func hostProblem(_ rest: String) -> String? {
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.contains("@") { return "it names a user before the host ('…@'), which hides where it leads" }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "its IPv6 host has no closing ]" }
            let after = host[host.index(after: close)...]
            if !after.isEmpty && !after.hasPrefix(":") { return "it has something after its IPv6 host" }
            if let port = after.dropFirst().nonEmpty, !isPort(port) { return "its port '\(port)' is not a number from 1 to 65535" }
            return host.count > 2 ? nil : "it has no host"
        }
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            if !port.isEmpty && !isPort(port) { return "its port '\(port)' is not a number from 1 to 65535" }
            host = host[..<colon]
        }
        if host.isEmpty { return "it has no host (write it like https://example.org/)" }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels.dropLast() where label.isEmpty { return "its host '\(host)' has an empty part" }
        for label in labels where label.hasPrefix("-") || label.hasSuffix("-") { return "its host '\(host)' is not a valid name" }
        let valid = host.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" || $0 == "." }
        return valid ? nil : "its host '\(host)' is not a valid name"
    }

    static func isPort(_ text: Substring) -> Bool {
        text.allSatisfy(\.isASCII) && (Int(text).map { (1...65535).contains($0) } ?? false)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension Substring {
    var nonEmpty: Substring? { isEmpty ? nil : self }
}
